"""The show's "look bible": style settings every generator node of a comp inherits.

Stored in the document's metadata, so it is saved with the comp, versioned with it and set
once per show or shot::

    doc.metadata["look_bible"] = {
        "style": "overcast matte painting, muted greens, anamorphic",   # appended to every prompt
        "negative": "text, watermark, people",                          # appended to negative prompts
        "model": "models/show-sd15",          # used by nodes whose model param is empty
        "loras": [{"file": "loras/show-style.safetensors", "weight": 0.8}],  # applied before the node's own
    }

`style` and `negative` may also be lists of fragments. Relative paths resolve against the
comp's folder. A node opts out with its `use_look_bible` param. The bible's values are part of
every inheriting node's cache key, so editing the bible re-renders exactly those nodes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

METADATA_KEY = "look_bible"


@dataclass(frozen=True)
class LookBible:
    """The parsed bible: prompt fragments, default model, LoRA files with weights."""

    style: str = ""
    negative: str = ""
    model: str = ""
    loras: tuple[tuple[str, float], ...] = ()

    def to_metadata(self) -> dict[str, Any]:
        """The JSON form stored under `doc.metadata["look_bible"]`."""
        return {
            "style": self.style,
            "negative": self.negative,
            "model": self.model,
            "loras": [{"file": path, "weight": weight} for path, weight in self.loras],
        }


def from_metadata(metadata: Mapping[str, Any]) -> LookBible:
    """The bible in a document's metadata (an empty one when there is none).

    Raises:
        ValueError: naming the field (`look_bible.loras[1].weight`) when it is malformed.
    """
    raw = metadata.get(METADATA_KEY)
    if raw is None:
        return LookBible()
    if not isinstance(raw, Mapping):
        raise ValueError(f"{METADATA_KEY} must be an object with style, negative, model and loras")
    unknown = sorted(set(raw) - {"style", "negative", "model", "loras"})
    if unknown:
        raise ValueError(f"{METADATA_KEY} has unknown fields: {', '.join(unknown)} "
                         "(expected style, negative, model, loras)")
    return LookBible(
        style=_fragments(raw.get("style", ""), "style"),
        negative=_fragments(raw.get("negative", ""), "negative"),
        model=_text(raw.get("model", ""), "model"),
        loras=_loras(raw.get("loras", [])),
    )


def set_look_bible(document: Any, bible: LookBible | Mapping[str, Any]) -> None:
    """Store a bible in a document's metadata (checked first, so a bad one is refused here).

    Raises:
        ValueError: the bible is malformed.
    """
    data = bible.to_metadata() if isinstance(bible, LookBible) else dict(bible)
    from_metadata({METADATA_KEY: data})
    document.metadata[METADATA_KEY] = data


def join_prompt(*parts: str) -> str:
    """Non-empty prompt fragments joined with ", "."""
    return ", ".join(p.strip() for p in parts if p and p.strip())


def _text(value: Any, field: str) -> str:
    if not isinstance(value, str):
        raise ValueError(f"{METADATA_KEY}.{field} must be text, got {value!r}")
    return value.strip()


def _fragments(value: Any, field: str) -> str:
    if isinstance(value, list | tuple):
        return join_prompt(*(_text(v, f"{field}[{i}]") for i, v in enumerate(value)))
    return _text(value, field)


def _loras(value: Any) -> tuple[tuple[str, float], ...]:
    if not isinstance(value, list | tuple):
        raise ValueError(f"{METADATA_KEY}.loras must be a list of {{file, weight}} objects")
    loras = []
    for index, entry in enumerate(value):
        where = f"{METADATA_KEY}.loras[{index}]"
        if isinstance(entry, str):
            entry = {"file": entry}
        if not isinstance(entry, Mapping) or not isinstance(entry.get("file"), str) or not entry["file"].strip():
            raise ValueError(f"{where} must be an object with a file (and optionally a weight)")
        weight = entry.get("weight", 1.0)
        if isinstance(weight, bool) or not isinstance(weight, int | float):
            raise ValueError(f"{where}.weight must be a number, got {weight!r}")
        loras.append((entry["file"].strip(), float(weight)))
    return tuple(loras)
