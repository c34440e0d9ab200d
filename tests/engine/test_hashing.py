import math

import pytest

from nodecomp.engine.hashing import Uncacheable, digest, encode
from nodecomp.engine.image import Box


def test_equal_values_hash_equal():
    assert digest({"a": 1, "b": (1.0, 2.5)}) == digest({"b": [1, 2.5], "a": 1.0})
    assert digest(0.0) == digest(-0.0)


def test_types_are_tagged():
    assert encode("1") != encode(1)
    assert encode(True) != encode(1)
    assert encode(None) != encode("")
    assert encode(["ab"]) != encode(["a", "b"])


def test_dataclasses_encode_fieldwise():
    assert digest(Box(0, 0, 2, 2)) != digest(Box(0, 0, 2, 3))


def test_unknown_types_fail_closed():
    with pytest.raises(Uncacheable):
        encode(object())
    with pytest.raises(Uncacheable):
        encode(math.nan)
