"""Open Job Description (OpenJD) job templates, for farms run by another manager (Deadline Cloud...).

The template has one step, `Render`, whose tasks are chunks of frames (the TASK_CHUNKING
extension, `CHUNK[INT]`) or single frames (plain `INT`, for managers without the extension).
Each task runs `nodecomp farm task SCRIPT --frames-expr "{{Task.Param.Frame}}"` on the worker,
which renders those frames in process and applies the session's path mapping rules
(`{{Session.PathMappingRulesFile}}`) to the script's file paths.

OpenJD writes frame ranges its own way (`1-9:2` is every other frame), unlike nodecomp's
`--frames` (`1-9x2`), so ranges are converted here in both directions.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Sequence
from typing import Any

from nodecomp.core.errors import NodecompError

SPECIFICATION = "jobtemplate-2023-09"
_ITEM = re.compile(r"^\s*(-?\d+)\s*(?:-\s*(-?\d+)\s*(?::\s*(-?\d+)\s*)?)?$")
MAX_FRAMES = 10_000_000


class RangeExpressionError(NodecompError):
    """An OpenJD range expression that cannot be read."""


def parse_range_expr(text: str) -> list[int]:
    """Frames of an OpenJD range expression (`1-10`, `1-9:2,20`, `10-1:-1`), in order, no duplicates.

    Raises:
        RangeExpressionError: empty, malformed, a zero step, or a step pointing away from the end.
    """
    frames: list[int] = []
    if not text or not text.strip():
        raise RangeExpressionError("the frame range expression is empty")
    for item in text.split(","):
        match = _ITEM.match(item)
        if match is None:
            raise RangeExpressionError(f"{item.strip()!r} in {text!r} is not START, START-END or START-END:STEP")
        start = int(match.group(1))
        end = int(match.group(2)) if match.group(2) is not None else start
        step = int(match.group(3)) if match.group(3) is not None else (1 if end >= start else -1)
        if step == 0 or (end - start) * step < 0:
            raise RangeExpressionError(f"step {step} never gets from {start} to {end} in {text!r}")
        if abs(end - start) // abs(step) + 1 + len(frames) > MAX_FRAMES:
            raise RangeExpressionError(f"{text!r} lists more than {MAX_FRAMES} frames")
        frames.extend(range(start, end + (1 if step > 0 else -1), step))
    return list(dict.fromkeys(frames))


def _runs(frames: Sequence[int]) -> list[tuple[int, int, int]]:
    """(start, end, step) runs covering `frames` in order; a lone frame is (f, f, 1)."""
    runs: list[tuple[int, int, int]] = []
    i = 0
    while i < len(frames):
        start = frames[i]
        if i + 1 < len(frames) and frames[i + 1] > start:
            step = frames[i + 1] - start
            j = i + 1
            while j + 1 < len(frames) and frames[j + 1] - frames[j] == step:
                j += 1
            if j - i >= 2 or step == 1:
                runs.append((start, frames[j], step))
                i = j + 1
                continue
        runs.append((start, start, 1))
        i += 1
    return runs


def to_range_expr(frames: Sequence[int]) -> str:
    """`frames` as an OpenJD range expression (`1-48`, `1-99:2,120`)."""
    return ",".join(
        str(a) if a == b else f"{a}-{b}" if step == 1 else f"{a}-{b}:{step}" for a, b, step in _runs(frames)
    )


def to_frame_spec(frames: Sequence[int]) -> str:
    """`frames` in nodecomp's `--frames` syntax (`1-48`, `1-99x2,120`)."""
    return ",".join(
        str(a) if a == b else f"{a}-{b}" if step == 1 else f"{a}-{b}x{step}" for a, b, step in _runs(frames)
    )


def job_template(*, script: str, template_path: str, name: str, writes: Sequence[str], frames: Sequence[int],
                 chunk: int, command: str = "nodecomp") -> dict[str, Any]:
    """The job template rendering `writes` of `script` over `frames`.

    Args:
        script: the `.ncomp` file; the template's default names it relative to the template's
            folder (OpenJD refuses absolute default paths), so keep both on the same storage.
        template_path: where the template will be written.
        name: the job name.
        writes: Write nodes to render (empty: every Write node of the script).
        frames: the default frame range.
        chunk: frames per task; 1 writes plain INT tasks (no OpenJD extension needed).
        command: the nodecomp executable on the workers.
    """
    if chunk < 1:
        raise NodecompError("--chunk must be at least 1")
    relative = os.path.relpath(os.path.abspath(script), os.path.dirname(os.path.abspath(template_path)))
    chunked = chunk > 1
    parameters: list[dict[str, Any]] = [
        {"name": "Script", "type": "PATH", "objectType": "FILE", "dataFlow": "IN", "default": relative,
         "description": "The nodecomp script (.ncomp) to render."},
        {"name": "Frames", "type": "STRING", "default": to_range_expr(frames), "minLength": 1,
         "description": "Frames to render, as an OpenJD range expression (1-100, 1-99:2,120)."},
        {"name": "NodecompCommand", "type": "STRING", "default": command, "minLength": 1,
         "description": "The nodecomp command on the workers."},
    ]
    if chunked:
        parameters.insert(2, {"name": "ChunkSize", "type": "INT", "default": chunk, "minValue": 1,
                              "description": "Frames per task."})
        frame_parameter: dict[str, Any] = {
            "name": "Frame", "type": "CHUNK[INT]", "range": "{{Param.Frames}}",
            "chunks": {"defaultTaskCount": "{{Param.ChunkSize}}", "rangeConstraint": "NONCONTIGUOUS"},
        }
    else:
        frame_parameter = {"name": "Frame", "type": "INT", "range": "{{Param.Frames}}"}
    args = ["farm", "task", "{{Param.Script}}", "--frames-expr", "{{Task.Param.Frame}}",
            "--path-mapping-rules", "{{Session.PathMappingRulesFile}}"]
    for write in writes:
        args += ["--write", write]
    template: dict[str, Any] = {"specificationVersion": SPECIFICATION}
    if chunked:
        template["extensions"] = ["TASK_CHUNKING"]
    template.update({
        "name": name,
        "description": "Rendered with nodecomp (https://openjobdescription.org job template).",
        "parameterDefinitions": parameters,
        "steps": [{
            "name": "Render",
            "parameterSpace": {"taskParameterDefinitions": [frame_parameter]},
            "script": {"actions": {"onRun": {"command": "{{Param.NodecompCommand}}", "args": args}}},
        }],
    })
    return template


def dumps(template: dict[str, Any], path: str) -> str:
    """The template as YAML (`.yaml`/`.yml`) or JSON (anything else)."""
    if path.lower().endswith((".yaml", ".yml")):
        import yaml

        return yaml.safe_dump(template, sort_keys=False, default_flow_style=False)
    return json.dumps(template, indent=2) + "\n"


def validate(template: dict[str, Any]) -> str | None:
    """Check the template with openjd-model when it is installed.

    Returns:
        The openjd-model version used, or None when it is not installed.

    Raises:
        NodecompError: openjd-model rejects the template (its message, on one line).
    """
    try:
        from openjd.model import DecodeValidationError, decode_job_template
        from openjd.model import version as openjd_version
    except ImportError:
        return None
    try:
        decode_job_template(template=template, supported_extensions=list(template.get("extensions", [])))
    except DecodeValidationError as exc:
        raise NodecompError(f"OpenJD rejects the template: {' '.join(str(exc).split())}") from None
    return str(openjd_version)


def read_path_mapping_rules(path: str) -> list[Any]:
    """One-way PathRules from an OpenJD `pathmapping-1.0` file (an empty file or `{}` means none).

    Raises:
        NodecompError: the file cannot be read or is not a path mapping document.
    """
    from nodecomp.engine.farm import PathRule

    try:
        with open(path, encoding="utf-8") as handle:
            text = handle.read()
        data = json.loads(text) if text.strip() else {}
    except (OSError, ValueError) as exc:
        raise NodecompError(f"cannot read the path mapping rules ({exc})", path=path) from None
    if not data:
        return []
    if not isinstance(data, dict) or data.get("version") != "pathmapping-1.0":
        raise NodecompError("not a pathmapping-1.0 document", path=path)
    rules = []
    for rule in data.get("path_mapping_rules", []):
        try:
            rules.append(PathRule(rule["source_path"].replace("\\", "/").rstrip("/") or "/",
                                  rule["destination_path"].replace("\\", "/").rstrip("/") or "/", one_way=True))
        except (KeyError, TypeError, AttributeError):
            raise NodecompError(f"path mapping rule {rule!r} lacks source_path or destination_path",
                                path=path) from None
    return rules
