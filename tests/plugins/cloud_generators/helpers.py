"""Shared test helpers: evaluate with progress and cancellation, fast job params."""

from __future__ import annotations

from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator

FAST = {"poll_interval": 0.01, "poll_max": 0.02, "timeout": 5.0, "colorspace": "scene_linear"}


class Progress:
    """Collects (node, frame, fraction, message); can cancel the job when a message matches."""

    def __init__(self, cancel_on: str | None = None) -> None:
        self.messages: list[str] = []
        self.token = CancelToken()
        self.cancel_on = cancel_on

    def __call__(self, node, frame, fraction, message):
        self.messages.append(message)
        if self.cancel_on and self.cancel_on in message:
            self.token.cancel()

    def text(self) -> str:
        return "\n".join(self.messages)


def evaluate(doc, node, frame=1, progress: Progress | None = None):
    """Pull `node` at `frame` with a fresh cache (as a re-render or a reopened comp would)."""
    progress = progress or Progress()
    return Evaluator(doc, progress=progress, cancel=progress.token).evaluate(node, frame)


def red_of(image) -> float:
    """The mean red of an image, in 8-bit units of the source media."""
    return float(image.pixels[..., 0].mean() * 255.0)
