"""What a frame writes, whether it is already complete, and what a killed writer left behind.

Output nodes list their files through `NodeType.output_files` (Write: the frame's name from its
file pattern), resolved exactly as a render would resolve them: params at the frame, relative
paths against the document's folder. A file counts as complete when it is not empty and
OpenImageIO can read its header; writes are atomic (temporary name, then rename), so a complete
file under a final name is a whole frame.
"""

from __future__ import annotations

import contextlib
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence

import OpenImageIO as oiio

from nodecomp.core.node import Node
from nodecomp.engine.evaluator import Evaluator
from nodecomp.engine.request import Request


def output_files(evaluator: Evaluator, nodes: Sequence[Node], frame: int) -> tuple[str, ...]:
    """Every file `nodes` write for `frame` (disabled nodes and non-writers add nothing).

    Raises:
        EvaluationError: a node's file name cannot be resolved (names the node and frame).
    """
    files: list[str] = []
    for node in nodes:
        node_type = node.node_type
        if node_type is None or node.disabled:
            continue
        params = evaluator.document.resolve_params(node, frame)
        files.extend(node_type.output_files(evaluator.context(node, Request(float(frame))), params))
    return tuple(files)


def file_is_complete(path: str) -> bool:
    """True when `path` exists, is not empty, and its image header reads."""
    try:
        if os.stat(path).st_size <= 0:
            return False
    except OSError:
        return False
    image = oiio.ImageInput.open(path)
    if image is None:
        oiio.geterror()  # clear the pending error so it is not reported against a later call
        return False
    try:
        spec = image.spec()
        return spec.width > 0 and spec.height > 0 and spec.nchannels > 0
    finally:
        image.close()


def frame_is_complete(files: Iterable[str]) -> bool:
    """True when the frame writes at least one file and every one is complete."""
    files = tuple(files)
    return bool(files) and all(file_is_complete(path) for path in files)


def temp_owner(entry: str) -> str | None:
    """The final file name an atomic writer's temporary (`.comp.0001.exr.<token>.tmp.exr`) is for."""
    ext = os.path.splitext(entry)[1]
    suffix = f".tmp{ext}"
    if not entry.startswith(".") or not entry.endswith(suffix):
        return None
    name, dot, token = entry[1:-len(suffix)].rpartition(".")
    if not dot or not name or not token.isalnum() or os.path.splitext(name)[1] != ext:
        return None
    return name


def remove_temp_files(paths: Iterable[str]) -> list[str]:
    """Delete the unfinished temporaries of every path; returns the ones removed.

    A worker killed mid-write leaves its temporary behind. Call this only when nothing is
    writing those frames any more (the job has settled).
    """
    by_folder: dict[str, set[str]] = defaultdict(set)
    for path in paths:
        folder, name = os.path.split(path)
        by_folder[folder].add(name)
    removed = []
    for folder, names in by_folder.items():
        try:
            entries = os.listdir(folder or ".")
        except OSError:
            continue
        for entry in entries:
            if temp_owner(entry) in names:
                with contextlib.suppress(FileNotFoundError):
                    os.remove(os.path.join(folder, entry))
                    removed.append(os.path.join(folder, entry))
    return sorted(removed)
