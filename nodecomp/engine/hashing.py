"""Canonical, type-tagged encoding of cache-key parts, hashed with xxh3-128.

Encoding fails closed: a value of a type it does not know raises `Uncacheable`, and the
evaluator then computes without caching (logging why) instead of risking a wrong hit.
"""

from __future__ import annotations

import dataclasses
import enum
import math
import struct
from collections.abc import Mapping
from typing import Any

import xxhash


class Uncacheable(TypeError):
    """A key part has no canonical encoding."""


def _encode(value: Any, out: list[bytes]) -> None:
    if value is None:
        out.append(b"N")
    elif isinstance(value, bool):
        out.append(b"T" if value else b"F")
    elif isinstance(value, enum.Enum):
        _encode(value.value, out)
    elif isinstance(value, int):
        text = str(value).encode()
        out.append(b"i%d:" % len(text) + text)
    elif isinstance(value, float):
        if math.isnan(value):
            raise Uncacheable("NaN in a cache key")
        if value == 0.0:
            value = 0.0  # -0.0 and 0.0 give the same pixels
        if value.is_integer() and abs(value) < 2**53:
            _encode(int(value), out)  # 2.0 and 2 are the same param value
        else:
            out.append(b"f" + struct.pack("<d", value))
    elif isinstance(value, str):
        data = value.encode("utf-8", "surrogatepass")
        out.append(b"s%d:" % len(data) + data)
    elif isinstance(value, bytes | bytearray | memoryview):
        data = bytes(value)
        out.append(b"b%d:" % len(data) + data)
    elif isinstance(value, list | tuple):
        out.append(b"l%d:" % len(value))
        for item in value:
            _encode(item, out)
    elif isinstance(value, Mapping):
        out.append(b"d%d:" % len(value))
        for key in sorted(value, key=lambda k: (type(k).__name__, str(k))):
            _encode(key, out)
            _encode(value[key], out)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        out.append(b"D")
        _encode(type(value).__qualname__, out)
        _encode({f.name: getattr(value, f.name) for f in dataclasses.fields(value)}, out)
    else:
        raise Uncacheable(f"cannot hash a {type(value).__name__} ({value!r:.60})")


def encode(value: Any) -> bytes:
    """The canonical bytes of `value`."""
    out: list[bytes] = []
    _encode(value, out)
    return b"".join(out)


def digest(*parts: Any) -> str:
    """A 128-bit hex digest of the canonical encoding of `parts`."""
    return xxhash.xxh3_128_hexdigest(encode(parts))
