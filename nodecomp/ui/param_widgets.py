"""What every param editor row shares: the label, the keyframe toggle, the menu, the expression line.

Rows (`param_rows.py`) read the value at the current frame from the Document and write through Document
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
        return self.ctx.doc.param_state(self.node, self.spec.name)

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
        """Tint the editors and the key marker for keys, animation or an expression at this frame.

        Each component's editor gets its own tint (a translate driven on y only tints y).
        """
        state, frame = self.state, self.ctx.frame()
        at_key = self._has_key_here()
        for editor in self.editors:
            if not isinstance(editor, QtWidgets.QAbstractSpinBox | QtWidgets.QLineEdit):
                continue
            components = self.editor_components(editor)
            if any(c in state.expressions for c in components):
                tint = EXPRESSION_TINT
            elif any(c in state.curves and any(k.frame == frame for k in state.curves[c].keys) for c in components):
                tint = KEY_TINT
            elif any(c in state.curves for c in components):
                tint = ANIMATED_TINT
            else:
                tint = ""
            editor.setStyleSheet(f"background-color: {tint};" if tint else "")
        self.key_button.setStyleSheet("color: #6fb0ff;" if at_key else ("color: #4a7090;" if state.curves else ""))
        self.key_button.setToolTip("Remove the key at this frame" if at_key else "Set a key at this frame")

    def editor_components(self, editor: QtWidgets.QWidget) -> range | tuple[int, ...]:
        """The param components an editor shows (all of them unless a row says otherwise)."""
        return range(self.spec.components)

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
