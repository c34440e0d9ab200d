"""One editor row per param declaration: the value widgets, a keyframe toggle and a menu.

Rows read the value at the current frame from the Document and write through Document
commands (`set_param`, `set_key`, `set_expression`, `set_param_state`), so every change is
undoable and every view follows. A slider drag is one undo step: the row opens a Document
macro when the drag starts and closes it on release. Animated values are tinted (keyed frame,
animated, expression) as compositors expect.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.core.params import ParamSpec, ParamState

KEY_TINT = "#2f6aa0"  # a key sits on this frame
ANIMATED_TINT = "#2a4660"  # animated, between keys
EXPRESSION_TINT = "#3f6a3a"  # driven by an expression
SLIDER_STEPS = 1000
COMPONENT_NAMES = {2: "xy", 3: "xyz", 4: "rgba"}

PathPrompt = Callable[[str, bool], str | None]
ColourPrompt = Callable[[tuple[float, ...]], tuple[float, ...] | None]


class RowContext:
    """What rows share: the document, the current frame, prompts and an error sink."""

    def __init__(self, doc: Document, frame: Callable[[], float], report: Callable[[str], None],
                 ask_path: PathPrompt, ask_colour: ColourPrompt) -> None:
        self.doc = doc
        self.frame = frame
        self.report = report
        self.ask_path = ask_path
        self.ask_colour = ask_colour


def slider_range(spec: ParamSpec) -> tuple[float, float]:
    """The slider's span: the declared slider or value bounds, else a span around the default."""
    low = getattr(spec, "slider_min", None)
    high = getattr(spec, "slider_max", None)
    low = low if low is not None else getattr(spec, "min", None)
    high = high if high is not None else getattr(spec, "max", None)
    default = spec.default if isinstance(spec.default, int | float) else max(spec.default or (0.0,))
    if low is None:
        low = 0.0 if default >= 0 else -1.0
    if high is None:
        high = 4.0 if spec.kind == "color" and default >= 1 else max(1.0, 2 * abs(default))
    if spec.kind == "color" and low == 0.0 and default == 0.0 and high <= 1.0:
        low = -1.0  # lift, offset, blackpoint go below zero
    return float(low), float(max(high, low + 1e-6))


class ParamRow(QtWidgets.QWidget):
    """A label, the kind's editors, a keyframe toggle and a menu for one param of one node."""

    def __init__(self, ctx: RowContext, node: Node, spec: ParamSpec, parent: QtWidgets.QWidget | None = None):
        super().__init__(parent)
        self.ctx, self.node, self.spec = ctx, node, spec
        self._drag: contextlib.ExitStack | None = None
        self._updating = False
        self.layout_ = QtWidgets.QHBoxLayout()
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.label = QtWidgets.QLabel(spec.display_label, self)
        self.label.setFixedWidth(84)
        self.label.setToolTip(spec.doc)
        self.layout_.addWidget(self.label)
        self.editors: list[QtWidgets.QWidget] = []
        self.build()
        self.key_button = QtWidgets.QToolButton(self)
        self.key_button.setText("◆")
        self.key_button.setToolTip("Set or remove a key at this frame")
        self.key_button.setAutoRaise(True)
        self.key_button.setEnabled(spec.animatable)
        self.key_button.clicked.connect(self.toggle_key)
        self.layout_.addWidget(self.key_button)
        self.menu_button = QtWidgets.QToolButton(self)
        self.menu_button.setText("≡")
        self.menu_button.setAutoRaise(True)
        self.menu_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu_button.setMenu(self._menu())
        self.layout_.addWidget(self.menu_button)
        outer = QtWidgets.QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.setSpacing(1)
        outer.addLayout(self.layout_)
        self.expression = QtWidgets.QLineEdit(self)
        self.expression.setPlaceholderText("expression, e.g. 1 + 0.1 * sin(frame / 4)")
        self.expression.returnPressed.connect(self._commit_expression)
        self.component_box = QtWidgets.QComboBox(self)
        self.component_box.addItem("all")
        self.component_box.addItems(list(COMPONENT_NAMES.get(spec.components, "")))
        self.component_box.setVisible(spec.components > 1)
        self.component_box.currentIndexChanged.connect(lambda _i: self._show_expression())
        expression_row = QtWidgets.QHBoxLayout()
        expression_row.setContentsMargins(88, 0, 0, 0)
        expression_row.addWidget(QtWidgets.QLabel("=", self))
        expression_row.addWidget(self.component_box)
        expression_row.addWidget(self.expression, 1)
        self.expression_panel = QtWidgets.QWidget(self)
        self.expression_panel.setLayout(expression_row)
        self.expression_panel.setVisible(False)
        outer.addWidget(self.expression_panel)
        self.refresh()

    # ---------------------------------------------------------- to override
    def build(self) -> None:
        """Add the editor widgets for this kind to `self.layout_` and `self.editors`."""

    def show_value(self, value: Any) -> None:
        """Put `value` into the editors (signals are blocked by the caller)."""

    # -------------------------------------------------------------- common
    @property
    def state(self) -> ParamState:
        """The param's stored state."""
        return self.node.params[self.spec.name]

    def value(self) -> Any:
        """The value at the current frame."""
        return self.ctx.doc.param_value(self.node, self.spec.name, self.ctx.frame())

    def refresh(self) -> None:
        """Show the value at the current frame and the animation state."""
        self._updating = True
        blockers = [QtCore.QSignalBlocker(w) for w in self.editors]
        try:
            self.show_value(self.value())
            self.setToolTip("")
        except NodecompError as exc:
            self.setToolTip(str(exc))
        finally:
            del blockers
            self._updating = False
        self.show_animation_state()
        if self.state.expressions and not self.expression_panel.isVisible():
            self.expression_panel.setVisible(True)
            self.component_box.setCurrentIndex(1 + min(self.state.expressions) if self.spec.components > 1 else 0)
        self._show_expression()

    def show_animation_state(self) -> None:
        """Tint the editors and the key marker for keys, animation or an expression at this frame."""
        state = self.state
        at_key = self._has_key_here()
        if state.expressions:
            tint = EXPRESSION_TINT
        elif at_key:
            tint = KEY_TINT
        elif state.curves:
            tint = ANIMATED_TINT
        else:
            tint = ""
        style = f"background-color: {tint};" if tint else ""
        for editor in self.editors:
            if isinstance(editor, QtWidgets.QAbstractSpinBox | QtWidgets.QLineEdit):
                editor.setStyleSheet(style)
        self.key_button.setStyleSheet("color: #6fb0ff;" if at_key else ("color: #4a7090;" if state.curves else ""))
        self.key_button.setToolTip("Remove the key at this frame" if at_key else "Set a key at this frame")

    def _has_key_here(self) -> bool:
        frame = self.ctx.frame()
        return any(any(k.frame == frame for k in curve.keys) for curve in self.state.curves.values())

    def _edit(self, action: Callable[[], None]) -> None:
        try:
            action()
        except NodecompError as exc:
            self.ctx.report(str(exc))
            self.refresh()

    def commit(self, value: Any) -> None:
        """Set the value (a key at the current frame when the param is keyed)."""
        if not self._updating:
            self._edit(lambda: self.ctx.doc.set_param(self.node, self.spec.name, value))

    def begin_drag(self) -> None:
        """Start one undo step for a slider drag."""
        if self._drag is None:
            self._drag = contextlib.ExitStack()
            self._drag.enter_context(self.ctx.doc.macro(f"Set {self.node.name}.{self.spec.name}"))

    def end_drag(self) -> None:
        """Close the drag's undo step."""
        drag, self._drag = self._drag, None
        if drag is not None:
            drag.close()

    def toggle_key(self) -> None:
        """Remove the key at the current frame, or set one with the current value."""
        doc, frame, name = self.ctx.doc, self.ctx.frame(), self.spec.name
        if self._has_key_here():
            self._edit(lambda: doc.remove_key(self.node, name, frame))
        else:
            self._edit(lambda: doc.set_key(self.node, name, frame, self.value()))

    def reset(self) -> None:
        """Back to the declared default, without animation."""
        self._edit(lambda: self.ctx.doc.set_param_state(self.node, self.spec.name, ParamState(self.spec.default)))

    def remove_animation(self) -> None:
        """Drop keys and expressions, keeping the value at the current frame."""
        value = self.value()
        self._edit(lambda: self.ctx.doc.set_param_state(self.node, self.spec.name, ParamState(value)))

    def _menu(self) -> QtWidgets.QMenu:
        menu = QtWidgets.QMenu(self)
        if self.spec.animatable:
            menu.addAction("Set / remove key", self.toggle_key)
            menu.addAction("Edit expression…", self._open_expression)
            menu.addAction("Remove animation", self.remove_animation)
            menu.addSeparator()
        menu.addAction("Reset to default", self.reset)
        return menu

    def _open_expression(self) -> None:
        self.expression_panel.setVisible(True)
        self._show_expression()
        self.expression.setFocus()

    def _component(self) -> int | None:
        index = self.component_box.currentIndex()
        return None if self.spec.components == 1 or index <= 0 else index - 1

    def _show_expression(self) -> None:
        expressions = self.state.expressions
        component = self._component()
        text = expressions.get(component if component is not None else 0, "")
        if component is None and len(set(expressions.values())) > 1:
            text = ""
        if not self.expression.hasFocus():
            self.expression.setText(text)

    def _commit_expression(self) -> None:
        source = self.expression.text().strip() or None
        self._edit(lambda: self.ctx.doc.set_expression(self.node, self.spec.name, source,
                                                       component=self._component()))


class _CompactSpin(QtWidgets.QDoubleSpinBox):
    """A spin box sized for values like -12.345: Qt sizes it for the widest value of its range."""

    def sizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt override
        """Compact width, the usual height."""
        return QtCore.QSize(60, super().sizeHint().height())

    def minimumSizeHint(self) -> QtCore.QSize:  # noqa: N802 - Qt override
        """Room for a few digits."""
        return QtCore.QSize(44, super().minimumSizeHint().height())


def _double_spin(parent: QtWidgets.QWidget, spec: ParamSpec) -> QtWidgets.QDoubleSpinBox:
    box = _CompactSpin(parent)
    low = getattr(spec, "min", None)
    high = getattr(spec, "max", None)
    box.setRange(low if low is not None else -1e9, high if high is not None else 1e9)
    box.setDecimals(3)
    box.setSingleStep(0.01)
    box.setKeyboardTracking(False)
    box.setButtonSymbols(QtWidgets.QAbstractSpinBox.ButtonSymbols.NoButtons)
    return box


class _Slider(QtWidgets.QSlider):
    """A horizontal slider over a float range."""

    def __init__(self, parent: QtWidgets.QWidget, low: float, high: float) -> None:
        super().__init__(QtCore.Qt.Orientation.Horizontal, parent)
        self.low, self.high = low, high
        self.setRange(0, SLIDER_STEPS)
        self.setMinimumWidth(48)

    def to_value(self, position: int) -> float:
        return self.low + (self.high - self.low) * position / SLIDER_STEPS

    def set_float(self, value: float) -> None:
        span = self.high - self.low
        self.setValue(round((min(max(value, self.low), self.high) - self.low) / span * SLIDER_STEPS))


class FloatRow(ParamRow):
    """A number with a slider (bounded by the declaration or around the default)."""

    def build(self) -> None:
        """Spin box and slider; the slider drag is one undo step."""
        self.spin = _double_spin(self, self.spec)
        self.slider = _Slider(self, *slider_range(self.spec))
        self.spin.valueChanged.connect(lambda v: self.commit(float(v)))
        self.slider.sliderPressed.connect(self.begin_drag)
        self.slider.sliderReleased.connect(self.end_drag)
        self.slider.valueChanged.connect(lambda p: self.commit(round(self.slider.to_value(p), 6)))
        self.editors += [self.spin, self.slider]
        self.layout_.addWidget(self.spin)
        self.layout_.addWidget(self.slider, 1)

    def show_value(self, value: Any) -> None:
        """Both widgets show the value."""
        self.spin.setValue(float(value))
        self.slider.set_float(float(value))


class IntRow(ParamRow):
    """A whole number."""

    def build(self) -> None:
        """One spin box."""
        self.spin = QtWidgets.QSpinBox(self)
        low, high = getattr(self.spec, "min", None), getattr(self.spec, "max", None)
        self.spin.setRange(low if low is not None else -(10**9), high if high is not None else 10**9)
        self.spin.setKeyboardTracking(False)
        self.spin.setMaximumWidth(120)
        self.spin.valueChanged.connect(lambda v: self.commit(int(v)))
        self.editors.append(self.spin)
        self.layout_.addWidget(self.spin, 1)

    def show_value(self, value: Any) -> None:
        """The spin box shows the value."""
        self.spin.setValue(int(value))


class BoolRow(ParamRow):
    """A checkbox."""

    def build(self) -> None:
        """One checkbox."""
        self.check = QtWidgets.QCheckBox(self)
        self.check.toggled.connect(lambda on: self.commit(bool(on)))
        self.editors.append(self.check)
        self.layout_.addWidget(self.check, 1)

    def show_value(self, value: Any) -> None:
        """Checked when true."""
        self.check.setChecked(bool(value))


class ChoiceRow(ParamRow):
    """A drop-down of the declared choices."""

    def build(self) -> None:
        """One combo box."""
        self.combo = QtWidgets.QComboBox(self)
        self.combo.addItems(list(self.spec.choices))
        self.combo.currentTextChanged.connect(self.commit)
        self.editors.append(self.combo)
        self.layout_.addWidget(self.combo, 1)

    def show_value(self, value: Any) -> None:
        """Select the value."""
        self.combo.setCurrentText(str(value))


class StringRow(ParamRow):
    """Text: one line, or several for multiline params (applied when the field loses focus)."""

    def build(self) -> None:
        """A line edit or a plain-text box."""
        if getattr(self.spec, "multiline", False):
            self.text = QtWidgets.QPlainTextEdit(self)
            self.text.setMaximumHeight(72)
            self.text.installEventFilter(self)
        else:
            self.text = QtWidgets.QLineEdit(self)
            self.text.editingFinished.connect(lambda: self.commit(self.text.text()))
        self.editors.append(self.text)
        self.layout_.addWidget(self.text, 1)

    def eventFilter(self, watched: QtCore.QObject, event: QtCore.QEvent) -> bool:  # noqa: N802 - Qt override
        """Multiline text is applied when the box loses focus."""
        if watched is self.text and event.type() == QtCore.QEvent.Type.FocusOut:
            self.commit(self.text.toPlainText())
        return super().eventFilter(watched, event)

    def show_value(self, value: Any) -> None:
        """Show the text."""
        if isinstance(self.text, QtWidgets.QPlainTextEdit):
            if self.text.toPlainText() != value:
                self.text.setPlainText(str(value))
        elif self.text.text() != value:
            self.text.setText(str(value))


class PathRow(StringRow):
    """A file or sequence path with a browse button."""

    def build(self) -> None:
        """The text field and a "…" button."""
        super().build()
        browse = QtWidgets.QToolButton(self)
        browse.setText("…")
        browse.setToolTip("Browse for a file")
        browse.clicked.connect(self.browse)
        self.layout_.addWidget(browse)

    def browse(self) -> None:
        """Ask for a file; outputs (Write) ask where to save."""
        saving = bool(self.node.node_type and self.node.node_type.is_output)
        chosen = self.ctx.ask_path(str(self.value()), saving)
        if chosen:
            self.commit(chosen)


class VectorRow(ParamRow):
    """Two, three or four numbers (vec2, vec3, colour); colours add a slider for all and a picker."""

    def build(self) -> None:
        """One spin box per component, plus for colours a uniform slider and a swatch."""
        count = self.spec.components
        names = COMPONENT_NAMES.get(count, "")
        self.spins = []
        for index in range(count):
            spin = _double_spin(self, self.spec)
            spin.setToolTip(f"{names[index]} component" if names else "")
            spin.valueChanged.connect(lambda v, i=index: self._commit_component(i, float(v)))
            self.spins.append(spin)
            self.layout_.addWidget(spin)
        self.editors += self.spins
        self.swatch = None
        if self.spec.kind == "color":
            self.slider = _Slider(self, *slider_range(self.spec))
            self.slider.setToolTip("Sets R, G, B and A together")
            self.slider.sliderPressed.connect(self.begin_drag)
            self.slider.sliderReleased.connect(self.end_drag)
            self.slider.valueChanged.connect(lambda p: self.commit((round(self.slider.to_value(p), 6),) * count))
            self.editors.append(self.slider)
            self.layout_.insertWidget(1, self.slider, 1)
            self.swatch = QtWidgets.QToolButton(self)
            self.swatch.setToolTip("Pick a colour")
            self.swatch.clicked.connect(self.pick)
            self.layout_.addWidget(self.swatch)

    def show_value(self, value: Any) -> None:
        """Each spin box shows its component; the swatch shows the colour (clamped)."""
        for spin, component in zip(self.spins, value, strict=False):
            spin.setValue(float(component))
        if self.swatch is not None:
            self.slider.set_float(float(sum(value[:3]) / 3))
            r, g, b = (max(0, min(255, round(c * 255))) for c in value[:3])
            self.swatch.setStyleSheet(f"background-color: rgb({r}, {g}, {b}); min-width: 18px;")

    def _commit_component(self, index: int, number: float) -> None:
        if self._updating:
            return
        value = list(self.value())
        value[index] = number
        self.commit(tuple(value))

    def pick(self) -> None:
        """Ask for a colour; alpha is kept."""
        current = tuple(self.value())
        chosen = self.ctx.ask_colour(current)
        if chosen is not None:
            self.commit(tuple(chosen[:3]) + tuple(current[3:]))


ROW_CLASSES: dict[str, type[ParamRow]] = {
    "float": FloatRow,
    "int": IntRow,
    "bool": BoolRow,
    "choice": ChoiceRow,
    "string": StringRow,
    "path": PathRow,
    "vec2": VectorRow,
    "vec3": VectorRow,
    "color": VectorRow,
}


def make_row(ctx: RowContext, node: Node, spec: ParamSpec, parent: QtWidgets.QWidget | None = None) -> ParamRow:
    """The row for `spec` (a read-only text row for kinds this panel does not know)."""
    return ROW_CLASSES.get(spec.kind, StringRow)(ctx, node, spec, parent)


def default_colour_prompt(parent: QtWidgets.QWidget) -> ColourPrompt:
    """A QColorDialog prompt (values 0..1, the picked colour is taken as linear)."""

    def ask(current: tuple[float, ...]) -> tuple[float, ...] | None:
        r, g, b = (max(0, min(255, round(c * 255))) for c in current[:3])
        colour = QtWidgets.QColorDialog.getColor(QtGui.QColor(r, g, b), parent, "Pick a colour")
        return (colour.redF(), colour.greenF(), colour.blueF()) if colour.isValid() else None

    return ask


def default_path_prompt(parent: QtWidgets.QWidget) -> PathPrompt:
    """A QFileDialog prompt (save dialogs for outputs)."""

    def ask(current: str, saving: bool) -> str | None:
        dialog = QtWidgets.QFileDialog.getSaveFileName if saving else QtWidgets.QFileDialog.getOpenFileName
        path, _filter = dialog(parent, "Choose a file", current)
        return path or None

    return ask
