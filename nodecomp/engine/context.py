"""What a node's compute (and fingerprint) can see of the world besides its inputs and params."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable
from typing import Any

import numpy as np

from nodecomp.core.errors import CancelledError, EvaluationError
from nodecomp.core.format import Format
from nodecomp.engine import proxy
from nodecomp.engine.colour import ColourManager
from nodecomp.engine.image import Box, Image, Region
from nodecomp.engine.request import Request
from nodecomp.engine.resources import file_fingerprint

log = logging.getLogger("nodecomp.nodes")


class CancelToken:
    """Cooperative cancellation shared by a job, its frames and long computes."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        """Ask everything using this token to stop at the next check."""
        self._event.set()

    @property
    def cancelled(self) -> bool:
        """True once `cancel` was called."""
        return self._event.is_set()

    def check(self) -> None:
        """Raise CancelledError if cancelled."""
        if self._event.is_set():
            raise CancelledError("cancelled")


ProgressCallback = Callable[[str, float, float, str], None]  # (node, frame, fraction, message)


class EvalContext:
    """Per-node, per-request services for compute and fingerprint.

    Attributes:
        node: the node's name (for messages).
        request: what is being computed; `frame` is a shortcut to `request.frame`.
        format: the document format at full resolution; `format_box` is its display window as
            a Box at the request's scale.
        colour: the document's OCIO colour manager; `working_space` its working space name.
        document_dir: folder relative file paths are resolved against.
        metadata: document-level metadata (name, fps) for Write nodes and burn-ins.
    """

    def __init__(
        self,
        *,
        node: str,
        request: Request,
        format: Format,
        colour: ColourManager,
        document_dir: str,
        metadata: dict[str, Any],
        cancel: CancelToken,
        progress: ProgressCallback | None = None,
        warnings: list[str] | None = None,
        params_at: dict[float, dict[str, Any]] | None = None,
    ) -> None:
        self.node = node
        self.request = request
        self.format = format
        self.colour = colour
        self.document_dir = document_dir
        self.metadata = metadata
        self._cancel = cancel
        self._progress = progress
        self._warnings = warnings if warnings is not None else []
        self._params_at = params_at or {}

    @property
    def frame(self) -> float:
        """The frame being computed."""
        return self.request.frame

    @property
    def format_box(self) -> Box:
        """The document format as a display window, at the request's proxy scale."""
        return Box(0, 0, self.format.width, self.format.height).reduced(self.request.step)

    def fit(self, image: Image) -> Image:
        """A full-resolution `image` cut to this request: cropped to its region, reduced to its scale.

        What the engine does to the result of a node type that does not support regions or
        scales; a node that does can use it for the parts it makes at full resolution anyway.
        """
        return proxy.fit_image(image, self.request)

    def fit_region(self, region: Region) -> Region:
        """The windows `fit` gives an image whose full-resolution windows are `region`."""
        return proxy.fit_region(region, self.request)

    @property
    def working_space(self) -> str:
        """The OCIO working colour space every image in the graph is in."""
        return self.colour.working_space

    @property
    def xp(self) -> Any:
        """The array module for CPU compute (numpy); GPU nodes use torch directly."""
        return np

    def resolve_path(self, path: str) -> str:
        """Expand `~` and environment variables; relative paths are relative to the document."""
        expanded = os.path.expandvars(os.path.expanduser(path))
        if not os.path.isabs(expanded):
            expanded = os.path.join(self.document_dir, expanded)
        return os.path.normpath(expanded)

    def required_path(self, value: str, *, what: str, hint: str | None = None) -> str:
        """A path param's file, resolved; an error naming this node when the param is empty."""
        if not value.strip():
            raise self.error(f"no {what} is set", hint=hint)
        return self.resolve_path(value)

    def file_fingerprint(self, value: str, *, what: str, hint: str | None = None) -> tuple[Any, ...]:
        """For `fingerprint` hooks: the identity of the file a path param names (see `file_fingerprint`).

        A model, LUT or wall file that is not set, missing or unreadable becomes an error naming
        this node, the file and `hint`, before anything is computed.
        """
        path = self.required_path(value, what=what, hint=hint)
        try:
            return file_fingerprint(path)
        except FileNotFoundError:
            raise self.error(f"{what} not found", path=path, hint=hint) from None
        except OSError as exc:
            raise self.error(f"cannot read the {what} ({exc.strerror})", path=path, hint=hint) from None

    def params_at(self, frame: float) -> dict[str, Any]:
        """This node's params resolved at another `frame` its type listed in `param_frames`.

        Raises:
            EvaluationError: the frame was not listed, so its values were neither resolved nor hashed.
        """
        try:
            return self._params_at[float(frame)]
        except KeyError:
            raise self.error(
                f"params at frame {frame:g} were not requested",
                hint="node authors: list the frame in the node type's param_frames",
            ) from None

    def check_cancelled(self) -> None:
        """Raise CancelledError when the job was cancelled; call it inside long loops."""
        self._cancel.check()

    def progress(self, fraction: float, message: str = "") -> None:
        """Report progress of a long compute (0..1) and honour cancellation."""
        self._cancel.check()
        if self._progress is not None:
            self._progress(self.node, self.frame, float(fraction), message)

    def error(self, reason: str, *, path: str | None = None, hint: str | None = None) -> EvaluationError:
        """An EvaluationError naming this node and frame; `raise ctx.error(...)`."""
        return EvaluationError(reason, node=self.node, frame=self.frame, path=path, hint=hint)

    def warn(self, message: str) -> None:
        """Record a non-fatal problem (listed by the CLI and the UI)."""
        text = f"{self.node} frame {self.frame:g}: {message}"
        self._warnings.append(text)
        log.warning(text)
