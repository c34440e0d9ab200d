"""One error hierarchy for the whole application.

Every error names what a user needs to find the problem: the node, the frame, the file, and
where possible a hint. Messages are one sentence so the CLI can print them on one line.
"""

from __future__ import annotations


class NodecompError(Exception):
    """Base class of every error nodecomp raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        node: str | None = None,
        frame: float | None = None,
        path: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.reason = message
        self.node = node
        self.frame = frame
        self.path = path
        self.hint = hint
        super().__init__(self._compose())

    def _compose(self) -> str:
        where = []
        if self.node:
            where.append(f"node {self.node}")
        if self.frame is not None:
            where.append(f"frame {_format_frame(self.frame)}")
        if self.path:
            where.append(f"file {self.path}")
        text = f"{', '.join(where)}: {self.reason}" if where else self.reason
        if self.hint:
            text += f" ({self.hint})"
        return text


def _format_frame(frame: float) -> str:
    return str(int(frame)) if float(frame).is_integer() else f"{frame:g}"


class GraphError(NodecompError):
    """A graph edit that would break the graph: cycles, unknown nodes or inputs, duplicate names."""


class ParamError(NodecompError):
    """A parameter value, key or expression that is not acceptable."""

    def __init__(
        self,
        message: str,
        *,
        node: str | None = None,
        param: str | None = None,
        frame: float | None = None,
        hint: str | None = None,
    ) -> None:
        self.param = param
        if node and param:
            node = f"{node}.{param}"
        elif param:
            node = param
        super().__init__(message, node=node, frame=frame, hint=hint)


class EvaluationError(NodecompError):
    """A node failed to compute a frame (bad file, bad data, a failing library call)."""


class CancelledError(NodecompError):
    """A render or evaluation was cancelled cooperatively."""


class PluginError(NodecompError):
    """A plugin failed to import or declared an invalid node type."""

    def __init__(self, message: str, *, plugin: str, entry_point: str | None = None) -> None:
        self.plugin = plugin
        self.entry_point = entry_point
        where = plugin if entry_point is None else f"{plugin} ({entry_point})"
        super().__init__(f"plugin {where}: {message}")


class DocumentError(NodecompError):
    """A `.ncomp` document that cannot be read or written; `field` is the JSON path of the bad field."""

    def __init__(self, message: str, *, path: str | None = None, field: str | None = None) -> None:
        self.field = field
        if field:
            message = f"{field}: {message}"
        super().__init__(message, path=path)
