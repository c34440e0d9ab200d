"""The editor row of each param kind: float, int, bool, choice, text, path, vec2, vec3, colour.

Each row is a `ParamRow` (label, keyframe toggle, menu, expression line) plus the widgets of its
kind; `make_row` picks the class from the declaration's `kind`.
"""

from __future__ import annotations

from typing import Any

from PySide6 import QtCore, QtWidgets

from nodecomp.core.node import Node
from nodecomp.core.params import ParamSpec
from nodecomp.ui.param_widgets import COMPONENT_NAMES, ParamRow, RowContext

SLIDER_STEPS = 1000


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

    def editor_components(self, editor: QtWidgets.QWidget) -> range | tuple[int, ...]:
        """A component's spin box shows that component only."""
        if editor in self.spins:
            return (self.spins.index(editor),)
        return super().editor_components(editor)

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
