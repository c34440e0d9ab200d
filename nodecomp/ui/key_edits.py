"""What the curve editor and the dope sheet share: the animated channels of nodes and key edits.

Nothing here draws. A `Channel` is one animated component of one param; a `KeyRef` names a key
(component None: the key at that frame on every component, as the dope sheet shows them).
Every edit goes through Document commands: deleting or changing several keys is one undo
step, and a `KeyDrag` turns a whole mouse drag into one undo step. Each step of a drag starts
from the keys as they were when the drag began, so keys the drag passes over come back.
"""

from __future__ import annotations

import contextlib
import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NamedTuple

from nodecomp.core.curves import Curve, Interp
from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.core.params import ParamState
from nodecomp.ui.param_widgets import COMPONENT_NAMES


@dataclass(frozen=True, eq=False)
class Channel:
    """One animated component of one node param (keyed, or driven by an expression)."""

    node: Node
    param: str
    component: int
    components: int

    @property
    def ident(self) -> tuple[str, str, int]:
        """Stable identity across rebuilds: (node id, param, component)."""
        return self.node.id, self.param, self.component

    @property
    def suffix(self) -> str:
        """`r`, `x`... for vector components; empty for scalars."""
        names = COMPONENT_NAMES.get(self.components, "")
        return names[self.component] if self.components > 1 and self.component < len(names) else ""

    @property
    def label(self) -> str:
        """`Grade1.multiply.r`."""
        return f"{self.node.name}.{self.param}" + (f".{self.suffix}" if self.suffix else "")

    @property
    def curve(self) -> Curve | None:
        """The keyframe curve, or None (expression only)."""
        state = _state(self.node, self.param)
        return state.curves.get(self.component) if state is not None else None

    @property
    def has_expression(self) -> bool:
        """True when an expression drives this component (its keys, if any, are ignored)."""
        state = _state(self.node, self.param)
        return state is not None and self.component in state.expressions

    def value_at(self, doc: Document, frame: float) -> float:
        """The value a render uses at `frame` (the Document's evaluation, after rounding and limits)."""
        value = doc.param_value(self.node, self.param, frame)
        return float(value[self.component] if isinstance(value, tuple) else value)


class KeyRef(NamedTuple):
    """A key: on one component, or (component None) on every component keyed at that frame."""

    node: Node
    param: str
    component: int | None
    frame: float


DOCUMENT_EVENTS = ("param_changed", "node_added", "node_removed", "node_renamed", "settings_changed")
"""The document events after which the key editors redraw."""


def _state(node: Node, param: str) -> ParamState | None:
    """The param's stored state, following publishing (a group's param holds a published one's)."""
    return node.document.param_state(node, param) if param in node.params else None


def follow_document(doc: Document, callback: Callable[..., None], *, connect: bool = True) -> None:
    """Connect (or disconnect) `callback` to every event in DOCUMENT_EVENTS."""
    for name in DOCUMENT_EVENTS:
        signal = getattr(doc.events, name)
        (signal.connect if connect else signal.disconnect)(callback)


def live_nodes(doc: Document | None, nodes: Iterable[Node]) -> list[Node]:
    """`nodes` that are in `doc` now (a deleted node comes back with undo)."""
    return [n for n in nodes if doc is not None and doc.find(n.name) is n]


def animated_channels(nodes: Iterable[Node]) -> list[Channel]:
    """The keyed or expression-driven components of `nodes`' params, in declaration order."""
    channels: list[Channel] = []
    for node in nodes:
        if node.node_type is None:
            continue
        for spec in node.node_type.params:
            state = _state(node, spec.name)
            if spec.animatable and state is not None and state.is_animated:
                for component in sorted({*state.curves, *state.expressions}):
                    channels.append(Channel(node, spec.name, component, spec.components))
    return channels


def animated_params(nodes: Iterable[Node]) -> list[tuple[Node, str]]:
    """(node, param) of every param with keys, in declaration order (the dope sheet's rows)."""
    rows: list[tuple[Node, str]] = []
    for node in nodes:
        if node.node_type is None:
            continue
        for spec in node.node_type.params:
            state = _state(node, spec.name)
            if state is not None and state.curves:
                rows.append((node, spec.name))
    return rows


def param_key_frames(node: Node, param: str) -> list[float]:
    """Every frame with a key on any component of the param, sorted."""
    state = _state(node, param)
    return sorted({k.frame for curve in (state.curves.values() if state else ()) for k in curve.keys})


def key_exists(ref: KeyRef) -> bool:
    """True when the document still has this key (undo may have taken it away)."""
    state = _state(ref.node, ref.param)
    if state is None:
        return False
    curves = state.curves.values() if ref.component is None else [state.curves.get(ref.component)]
    return any(curve is not None and curve.key_at(ref.frame) is not None for curve in curves)


def key_interps(ref: KeyRef) -> set[Interp]:
    """The interpolations leaving the key (on every component keyed there when component is None)."""
    state = _state(ref.node, ref.param)
    curves = [] if state is None else (
        state.curves.values() if ref.component is None else [state.curves.get(ref.component)])
    keys = [curve.key_at(ref.frame) for curve in curves if curve is not None]
    return {key.interp for key in keys if key is not None}


def delete_keys(doc: Document, refs: Iterable[KeyRef]) -> None:
    """Remove the keys, in one undo step."""
    refs = list(refs)
    with doc.macro("Delete keys" if len(refs) != 1 else "Delete key"):
        for ref in refs:
            doc.remove_key(ref.node, ref.param, ref.frame, component=ref.component)


def set_interp(doc: Document, refs: Iterable[KeyRef], interp: Interp | str) -> None:
    """Set the interpolation leaving each key, in one undo step."""
    groups: dict[tuple[Node, str, int | None], list[float]] = defaultdict(list)
    for ref in refs:
        groups[(ref.node, ref.param, ref.component)].append(ref.frame)
    with doc.macro(f"Set interpolation to {Interp(interp).value}"):
        for (node, param, component), frames in groups.items():
            doc.set_key_interp(node, param, frames, interp, component=component)


def add_key(doc: Document, channel: Channel, frame: float) -> KeyRef:
    """Key `channel` at `frame` with the value it has there; the new key keeps the segment's shape."""
    curve = channel.curve
    interp = Interp.SMOOTH
    if curve is not None and len(curve):
        before = [k for k in curve.keys if k.frame <= frame]
        interp = (before[-1] if before else curve.keys[0]).interp
    value = channel.value_at(doc, frame)
    doc.set_key(channel.node, channel.param, frame, value, interp=interp.value, component=channel.component)
    return KeyRef(channel.node, channel.param, channel.component, float(frame))


def add_param_keys(doc: Document, node: Node, params: Iterable[str], frame: float) -> list[KeyRef]:
    """Key every keyed component of `params` at `frame` with its value there, in one undo step.

    Components already keyed at `frame` keep their key; each new key takes the value the curve
    has there and its segment's interpolation (see `add_key`). Returns a time-only ref per param.
    """
    refs = []
    with doc.macro("Add key"):
        for param in params:
            state = _state(node, param)
            if state is None:
                continue
            spec = node.spec(param)
            for component, curve in sorted(state.curves.items()):
                if curve.key_at(float(frame)) is None:
                    add_key(doc, Channel(node, param, component, spec.components), frame)
            refs.append(KeyRef(node, param, None, float(frame)))
    return refs


class _Cancelled(Exception):
    """Thrown into the drag's macro so it reverts and records nothing."""


class _Gesture:
    """A document macro held open for a mouse gesture: closed by `_close`, reverted by `_revert`."""

    def __init__(self, doc: Document, label: str) -> None:
        self.doc = doc
        self._macro: contextlib.ExitStack | None = contextlib.ExitStack()
        self._macro.enter_context(doc.macro(label))

    def _close(self) -> None:
        if self._macro is not None:
            self._macro.close()
            self._macro = None

    def _revert(self) -> None:
        if self._macro is not None:
            self._macro.__exit__(_Cancelled, _Cancelled(), None)
            self._macro = None


class KeyDrag(_Gesture):
    """One drag of several keys: every step goes through the Document; the whole drag undoes at once.

    Args:
        doc: the document.
        refs: the keys to move (they must exist).
        label: the undo step's name.
    """

    def __init__(self, doc: Document, refs: Iterable[KeyRef], label: str = "Move keys") -> None:
        self.refs = list(dict.fromkeys(refs))
        self.start = {(ref.node, ref.param): _state(ref.node, ref.param) for ref in self.refs}
        self.delta = (0.0, 0.0)
        super().__init__(doc, label)

    def _start_value(self, ref: KeyRef) -> float:
        curve = self.start[(ref.node, ref.param)].curves[ref.component]
        return curve.key_at(ref.frame).value

    def value_limits(self) -> tuple[float, float]:
        """How far values may move (down, up) before a key leaves its param's bounds."""
        low, high = -math.inf, math.inf
        for ref in self.refs:
            if ref.component is None:
                continue
            spec = ref.node.spec(ref.param)
            value = self._start_value(ref)
            if getattr(spec, "min", None) is not None:
                low = max(low, spec.min - value)
            if getattr(spec, "max", None) is not None:
                high = min(high, spec.max - value)
        return low, high

    def move(self, dframe: float, dvalue: float = 0.0) -> bool:
        """Put the keys at their start + (dframe, dvalue); False when the document refuses.

        Values are clamped to the params' bounds; a refused step (two keys on one frame)
        leaves the keys where the last accepted step put them.
        """
        low, high = self.value_limits()
        dvalue = min(max(dvalue, low), high)
        if (dframe, dvalue) == self.delta or self._macro is None:
            return True
        groups: dict[tuple[Node, str], dict[int | None, tuple[dict, dict]]] = defaultdict(dict)
        for ref in self.refs:
            moves, values = groups[(ref.node, ref.param)].setdefault(ref.component, ({}, {}))
            moves[ref.frame] = ref.frame + dframe
            if ref.component is not None and dvalue:
                values[ref.frame] = self._start_value(ref) + dvalue
        try:
            states = {}
            for (node, param), by_component in groups.items():
                state = self.start[(node, param)]
                for component, (moves, values) in by_component.items():
                    state = self.doc.keys_moved(node, param, moves, component=component, values=values or None,
                                                state=state)
                states[(node, param)] = state
        except NodecompError:
            return False
        for (node, param), state in states.items():
            self.doc.set_param_state(node, param, state)
        self.delta = (dframe, dvalue)
        return True

    def moved_refs(self) -> list[KeyRef]:
        """The keys where the drag has put them."""
        return [ref._replace(frame=ref.frame + self.delta[0]) for ref in self.refs]

    def finish(self) -> list[KeyRef]:
        """Close the undo step; returns the keys' new places."""
        self._close()
        return self.moved_refs()

    def cancel(self) -> list[KeyRef]:
        """Put everything back and leave no undo step; returns the keys' first places."""
        self._revert()
        self.delta = (0.0, 0.0)
        return list(self.refs)


def cubic_sides(ref: KeyRef) -> list[str]:
    """The tangent handles a key has: "in" when the segment arriving is cubic, "out" when the one leaving is.

    A slope only shapes a cubic segment, so a key between two linear segments has none.
    """
    state = _state(ref.node, ref.param)
    curve = state.curves.get(ref.component) if state is not None and ref.component is not None else None
    if curve is None or curve.key_at(ref.frame) is None:
        return []
    keys = curve.keys
    index = next(i for i, k in enumerate(keys) if k.frame == ref.frame)
    sides = []
    if index > 0 and keys[index - 1].interp is Interp.CUBIC:
        sides.append("in")
    if index < len(keys) - 1 and keys[index].interp is Interp.CUBIC:
        sides.append("out")
    return sides


def key_slopes(ref: KeyRef) -> tuple[float, float]:
    """(in, out) slopes the curve uses at the key (stored, else automatic), in value per frame."""
    return _state(ref.node, ref.param).curves[ref.component].slopes_at(ref.frame)


class SlopeDrag(_Gesture):
    """One drag of a key's tangent handle: each step sets the slopes; the whole drag undoes at once.

    Args:
        doc: the document.
        ref: the key (on one component).
        side: "in" or "out", the handle grabbed.
    """

    def __init__(self, doc: Document, ref: KeyRef, side: str) -> None:
        self.ref = ref
        self.side = side
        self.start = key_slopes(ref)
        super().__init__(doc, "Change tangent")

    def set(self, slope: float, *, broken: bool = False) -> bool:
        """Give the grabbed side `slope`; the other side too unless `broken`. False when refused."""
        if self._macro is None:
            return False
        if broken:  # the other side keeps the slope it showed when the drag began
            in_slope, out_slope = (slope, self.start[1]) if self.side == "in" else (self.start[0], slope)
        else:
            in_slope = out_slope = slope
        try:
            self.doc.set_key_slopes(self.ref.node, self.ref.param, self.ref.frame, in_slope, out_slope,
                                    component=self.ref.component)
        except NodecompError:
            return False
        return True

    def finish(self) -> None:
        """Close the undo step."""
        self._close()

    def cancel(self) -> None:
        """Put the slopes back and leave no undo step."""
        self._revert()


def set_key_at(doc: Document, ref: KeyRef, frame: float, value: float) -> KeyRef:
    """Put one key at `frame` with `value` (typed in), as one undoable move; returns where it went.

    Raises:
        NodecompError: the Document refused the frame or value (its message says why).
    """
    values = {ref.frame: value} if ref.component is not None else None
    doc.move_keys(ref.node, ref.param, {ref.frame: frame}, component=ref.component, values=values)
    return ref._replace(frame=float(frame))
