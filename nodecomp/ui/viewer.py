"""The viewer panel: the viewed node's image at the current frame, rendered off the UI thread.

It follows the document: any edit re-requests the picture (the engine's cache makes unchanged
branches free, and a result whose cache key did not change is not redrawn). Viewing a Write
node shows its input, since evaluating a Write would write files. The toolbar holds channels
(RGB, R, G, B, A, luma), the layer, exposure, gamma, the OCIO display/view, fit / 1:1, the
proxy scale and the region of interest; the bottom line is a pixel probe with linear values
and the 8-bit display values.

A/B compare, as in Nuke: the viewed node is the A input, another node can be set as B, and the
compare menu shows them with a wipe, side by side or as their difference. Both inputs render
through the same renderer (each keeps its own newest request) and the same display settings;
an edit that changes only one of them re-renders only that one. The probe names the side
under the cursor.

The proxy scale (1, 1/2, 1/4, 1/8) and the region of interest go into the engine request of A
and B alike, so nodes that honour them compute fewer pixels and the difference compares like
with like; the canvas keeps full-resolution coordinates, so the outlines, the wipe and the probe
read the same image positions at any proxy scale. Around a region of interest each input shows
its own last whole picture.
"""

from __future__ import annotations

import math

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.node import Node
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.colour import colour_manager
from nodecomp.engine.image import MAIN_LAYER, Box
from nodecomp.ui.display import DisplayView, default_display_view, display_views
from nodecomp.ui.viewer_canvas import ImageCanvas
from nodecomp.ui.viewer_compare import DIFFERENCE, A, B, CompareMode, Wipe
from nodecomp.ui.viewer_image import Channels, DisplayFrame, DisplaySettings
from nodecomp.ui.viewer_probe import probe_text
from nodecomp.ui.viewer_renderer import ViewerRenderer, ViewFailure, ViewResult

CHANNEL_KEYS = {Channels.RED: "R", Channels.GREEN: "G", Channels.BLUE: "B", Channels.ALPHA: "A", Channels.LUMA: "Y"}
SLOT_NAMES = {A: "A", B: "B", DIFFERENCE: "A-B"}
NO_B = "press 2 on a node"
PROXY_SCALES = (("1", 1.0), ("1/2", 0.5), ("1/4", 0.25), ("1/8", 0.125))
_DOC_EVENTS = ("param_changed", "connection_changed", "node_changed", "node_added", "node_removed",
               "node_renamed", "settings_changed")


class Viewer(QtWidgets.QWidget):
    """The viewer panel.

    Args:
        cache: the app's shared image cache.

    Signals:
        frame_shown(ViewResult): a new picture is on screen.
        failed(ViewFailure): the viewed node failed to render (the message is on screen too).
    """

    frame_shown = QtCore.Signal(object)
    failed = QtCore.Signal(object)

    def __init__(self, cache: ImageCache, parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        self.renderer = ViewerRenderer(cache, self)
        self.canvas = ImageCanvas(self)
        self.doc: Document | None = None
        self.node_name: str | None = None
        self.b_name: str | None = None
        self.compare = CompareMode.OFF
        self.frame = 1.0
        self._message_slot: str | None = None
        self._difference_of: tuple | None = None  # (A generation, B generation, settings) of the last |A - B|
        self.settings = DisplaySettings()
        self.proxy_scale = 1.0
        self.roi: Box | None = None
        self.roi_enabled = False
        self._backdrops: dict[str, DisplayFrame] = {}  # per input: the last whole picture, shown around a ROI
        self._refresh_timer = QtCore.QTimer(self, singleShot=True, interval=0)
        self._refresh_timer.timeout.connect(self._request)
        self._redisplay_timer = QtCore.QTimer(self, singleShot=True, interval=40)
        self._redisplay_timer.timeout.connect(self._redisplay)
        self._build_toolbar()
        self.probe_label = QtWidgets.QLabel(" ", self)
        self.probe_label.setTextInteractionFlags(QtCore.Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QtGui.QFontDatabase.systemFont(QtGui.QFontDatabase.SystemFont.FixedFont)
        self.probe_label.setFont(font)
        layout = QtWidgets.QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.toolbar)
        layout.addWidget(self.canvas, 1)
        layout.addWidget(self.probe_label)
        self.renderer.frame_ready.connect(self._on_frame)
        self.renderer.failed.connect(self._on_failed)
        self.renderer.busy_changed.connect(self._on_busy)
        self.renderer.progress.connect(self._on_progress)
        self.canvas.zoom_changed.connect(lambda _zoom: self._redisplay_timer.start())
        self.canvas.probe.connect(self._on_probe)
        self.canvas.probe_left.connect(lambda: self.probe_label.setText(" "))
        self.canvas.wipe_changed.connect(lambda _wipe: self.canvas.update())
        self.canvas.roi_drawn.connect(self.set_roi)
        self.canvas.set_message("Select a node and press 1 in the graph to view it")

    # ------------------------------------------------------------- toolbar
    def _build_toolbar(self) -> None:
        bar = self.toolbar = QtWidgets.QToolBar(self)
        bar.setIconSize(QtCore.QSize(16, 16))
        self.node_label = QtWidgets.QLabel("  —  ", bar)
        self.node_label.setMinimumWidth(110)
        bar.addWidget(self.node_label)
        self._build_compare(bar)
        bar.addSeparator()
        self.channel_group = QtWidgets.QButtonGroup(self)
        for mode, text in ((Channels.RGB, "RGB"), *((m, k) for m, k in CHANNEL_KEYS.items())):
            button = QtWidgets.QToolButton(bar)
            button.setText(text)
            button.setCheckable(True)
            button.setChecked(mode is Channels.RGB)
            button.setToolTip(f"Show {mode.value} (key {text})" if mode is not Channels.RGB else "Show colour")
            button.setProperty("channels", mode.value)
            self.channel_group.addButton(button)
            bar.addWidget(button)
        self.channel_group.buttonClicked.connect(lambda b: self.set_channels(Channels(b.property("channels"))))
        for mode, key in CHANNEL_KEYS.items():
            self._shortcut(key, lambda m=mode: self.set_channels(Channels.RGB if self.settings.channels is m else m))
        self.layer_box = QtWidgets.QComboBox(bar)
        self.layer_box.addItem(MAIN_LAYER)
        self.layer_box.setToolTip("Layer shown")
        self.layer_box.currentTextChanged.connect(self._on_layer)
        bar.addWidget(self.layer_box)
        bar.addSeparator()
        bar.addWidget(QtWidgets.QLabel(" Exposure ", bar))
        self.exposure_box = _spin(bar, -20.0, 20.0, 0.5, 0.0, "Exposure in stops, applied to linear values")
        self.exposure_box.valueChanged.connect(lambda v: self._set(exposure=float(v)))
        bar.addWidget(self.exposure_box)
        bar.addWidget(QtWidgets.QLabel(" Gamma ", bar))
        self.gamma_box = _spin(bar, 0.1, 5.0, 0.1, 1.0, "Gamma applied to display values")
        self.gamma_box.valueChanged.connect(lambda v: self._set(gamma=float(v)))
        bar.addWidget(self.gamma_box)
        bar.addSeparator()
        self.view_button = QtWidgets.QToolButton(bar)
        self.view_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.view_button.setToolTip("OCIO display and view")
        self.view_menu = QtWidgets.QMenu(self.view_button)
        self.view_button.setMenu(self.view_menu)
        bar.addWidget(self.view_button)
        self.exact_action = QtGui.QAction("Exact display transform (slow)", self)
        self.exact_action.setCheckable(True)
        self.exact_action.toggled.connect(lambda on: self._set(exact=bool(on)))
        bar.addSeparator()
        fit = bar.addAction("Fit")
        fit.setToolTip("Fit the format in the viewer (F)")
        fit.triggered.connect(self.canvas.fit)
        one = bar.addAction("1:1")
        one.setToolTip("One image pixel per screen pixel (H)")
        one.triggered.connect(self.canvas.one_to_one)
        self._shortcut("F", self.canvas.fit)
        self._shortcut("H", self.canvas.one_to_one)
        bar.addSeparator()
        self._build_proxy_controls(bar)
        self.busy_label = QtWidgets.QLabel("", bar)
        bar.addWidget(self.busy_label)

    def _build_compare(self, bar: QtWidgets.QToolBar) -> None:
        self.compare_button = QtWidgets.QToolButton(bar)
        self.compare_button.setPopupMode(QtWidgets.QToolButton.ToolButtonPopupMode.InstantPopup)
        self.compare_button.setToolTip("A/B compare: wipe, side by side or difference (W toggles the wipe)")
        self.compare_menu = QtWidgets.QMenu("A/B Compare", self)
        group = QtGui.QActionGroup(self.compare_menu)
        self.compare_actions: dict[CompareMode, QtGui.QAction] = {}
        for mode in CompareMode:
            action = self.compare_menu.addAction(mode.label)
            action.setCheckable(True)
            action.setChecked(mode is self.compare)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, m=mode: self.set_compare(m))
            self.compare_actions[mode] = action
        self.compare_menu.addSeparator()
        self.swap_action = self.compare_menu.addAction("Swap A and B")
        self.swap_action.triggered.connect(lambda _checked=False: self.swap())
        reset = self.compare_menu.addAction("Reset Wipe")
        reset.triggered.connect(lambda _checked=False: self.canvas.set_wipe(Wipe()))
        self.compare_button.setMenu(self.compare_menu)
        self.compare_button.setText("A/B: off")
        bar.addWidget(self.compare_button)
        self._shortcut("W", lambda: self.set_compare(CompareMode.OFF if self.compare is CompareMode.WIPE
                                                     else CompareMode.WIPE))

    def _build_proxy_controls(self, bar: QtWidgets.QToolBar) -> None:
        """The proxy-scale menu and the region-of-interest toggle."""
        self.proxy_box = QtWidgets.QComboBox(bar)
        for text, scale in PROXY_SCALES:
            self.proxy_box.addItem(text, scale)
        self.proxy_box.setToolTip("Proxy scale: compute the picture at a fraction of full resolution")
        self.proxy_box.currentIndexChanged.connect(lambda i: self.set_proxy_scale(self.proxy_box.itemData(i)))
        bar.addWidget(QtWidgets.QLabel(" Proxy ", bar))
        bar.addWidget(self.proxy_box)
        self.roi_button = QtWidgets.QToolButton(bar)
        self.roi_button.setText("ROI")
        self.roi_button.setCheckable(True)
        self.roi_button.setToolTip("Region of interest (Alt+W): drag a rectangle over the picture; "
                                   "only that region is computed")
        self.roi_button.toggled.connect(self.set_roi_enabled)
        bar.addWidget(self.roi_button)
        self._shortcut("Alt+W", self.roi_button.toggle)

    def _shortcut(self, key: str, slot) -> None:
        shortcut = QtGui.QShortcut(QtGui.QKeySequence(key), self)
        shortcut.setContext(QtCore.Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(slot)

    def _fill_view_menu(self) -> None:
        self.view_menu.clear()
        group = QtGui.QActionGroup(self.view_menu)
        colour = self._colour()
        current = self.settings.view or default_display_view(colour)
        menus: dict[str, QtWidgets.QMenu] = {}
        for pair in display_views(colour):
            menu = menus.get(pair.display) or menus.setdefault(pair.display, self.view_menu.addMenu(pair.display))
            action = menu.addAction(pair.view)
            action.setCheckable(True)
            action.setChecked(pair == current)
            group.addAction(action)
            action.triggered.connect(lambda _checked=False, p=pair: self.set_display_view(p))
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.exact_action)
        self.view_button.setText(current.view)
        self.view_button.setToolTip(f"OCIO display/view: {current.label}")

    def _colour(self):
        settings = self.doc.settings if self.doc is not None else {}
        return colour_manager(settings.get("ocio_config", ""), settings.get("working_space", ""))

    # ----------------------------------------------------------------- API
    def set_document(self, doc: Document) -> None:
        """Follow `doc` (nothing is viewed until `view_node`)."""
        if self.doc is not None:
            for name in _DOC_EVENTS:
                getattr(self.doc.events, name).disconnect(self._on_doc_event)
        self.renderer.cancel_all()
        self.doc = doc
        for name in _DOC_EVENTS:
            getattr(doc.events, name).connect(self._on_doc_event)
        self.settings = DisplaySettings(channels=self.settings.channels, exposure=self.settings.exposure,
                                        gamma=self.settings.gamma, exact=self.settings.exact)
        self._fill_view_menu()
        self.node_name = self.b_name = None
        self.set_compare(CompareMode.OFF)
        self.roi = None
        self.canvas.set_roi(None, self.roi_enabled)
        for slot in (A, B, DIFFERENCE):
            self.renderer.forget(slot)
            self.canvas.set_frame(None, slot)
            self._forget_backdrop(slot)
        self._difference_of = None
        self.canvas.set_message("Select a node and press 1 in the graph to view it")
        self.node_label.setText("  —  ")

    def view_node(self, node: Node | None) -> None:
        """Show `node` as the A input (a Write node shows its input)."""
        self.node_name = node.name if node is not None else None
        self.refresh()

    def set_b_node(self, node: Node | None) -> None:
        """Compare the A input with `node`; with the compare off, this turns the wipe on."""
        self.b_name = node.name if node is not None else None
        if self.b_name is not None and self.compare is CompareMode.OFF:
            self.set_compare(CompareMode.WIPE)
        self.refresh()

    def set_compare(self, mode: CompareMode) -> None:
        """Show A alone, or A and B with a wipe, side by side, or as their difference."""
        self.compare = mode
        self.compare_actions[mode].setChecked(True)
        self.compare_button.setText(f"A/B: {mode.value.replace('_', ' ')}")
        self.canvas.set_compare(mode)
        if mode is CompareMode.OFF:
            self.renderer.cancel(B)
        if mode is not CompareMode.DIFFERENCE:
            self.renderer.cancel(DIFFERENCE)
            self._difference_of = None
        self.refresh()

    def swap(self) -> None:
        """Exchange the A and B inputs."""
        if self.b_name is not None:
            self.node_name, self.b_name = self.b_name, self.node_name
            self.refresh()

    def set_frame(self, frame: float) -> None:
        """Show the current frame."""
        if frame != self.frame:
            self.frame = float(frame)
            self.refresh()

    def set_channels(self, channels: Channels) -> None:
        """Colour, one channel, or luma."""
        for button in self.channel_group.buttons():
            button.setChecked(button.property("channels") == channels.value)
        self._set(channels=channels)

    def set_display_view(self, pair: DisplayView) -> None:
        """Use another OCIO display/view."""
        self._set(view=pair)
        self.view_button.setText(pair.view)
        self.view_button.setToolTip(f"OCIO display/view: {pair.label}")

    def set_proxy_scale(self, scale: float) -> None:
        """Compute the pictures at `scale` of full resolution (1, 1/2, 1/4 or 1/8)."""
        index = self.proxy_box.findData(float(scale))
        if index < 0:
            raise ValueError(f"proxy scale must be one of {', '.join(t for t, _ in PROXY_SCALES)}, got {scale!r}")
        if self.proxy_box.currentIndex() != index:
            self.proxy_box.setCurrentIndex(index)  # comes back here through the signal
            return
        if float(scale) != self.proxy_scale:
            self.proxy_scale = float(scale)
            self.refresh()

    def set_roi_enabled(self, on: bool) -> None:
        """Turn the region of interest on (drag a rectangle to set it) or off (the whole picture)."""
        on = bool(on)
        if self.roi_button.isChecked() != on:
            self.roi_button.setChecked(on)  # comes back here through the signal
            return
        if on != self.roi_enabled:
            self.roi_enabled = on
            self.canvas.set_roi(self.roi, on)
            if self.roi is not None:
                self.refresh()

    def set_roi(self, box: Box | None) -> None:
        """The region of interest in full-resolution image pixels (used while it is enabled).

        One region for both inputs: side by side, it is outlined over A and over B.
        """
        self.roi = box
        self.canvas.set_roi(box, self.roi_enabled)
        if self.roi_enabled:
            self.refresh()

    def request_region(self) -> Box | None:
        """The region the engine is asked for: the ROI while it is enabled, else None (everything)."""
        return self.roi if self.roi_enabled else None

    def refresh(self) -> None:
        """Ask for a new picture soon (several edits in one event-loop turn ask once)."""
        self._refresh_timer.start()

    def shutdown(self) -> None:
        """Stop rendering and stop following the document (before the window closes)."""
        self._refresh_timer.stop()
        self._redisplay_timer.stop()
        self.renderer.shutdown()
        if self.doc is not None:
            for name in _DOC_EVENTS:
                getattr(self.doc.events, name).disconnect(self._on_doc_event)
            self.doc = None

    @property
    def idle(self) -> bool:
        """True when no picture is queued, rendering or about to be asked for."""
        return not (self.renderer.busy or self._refresh_timer.isActive() or self._redisplay_timer.isActive())

    def target(self, slot: str = A) -> str | None:
        """The node actually evaluated for input `slot`: the node set there, or a Write's input."""
        name = self.node_name if slot == A else self.b_name
        if self.doc is None or name is None or name not in self.doc:
            return None
        node = self.doc[name]
        if node.node_type is not None and node.node_type.is_output:
            source = next((s for s in node.inputs.values() if s is not None), None)
            return source.name if source is not None else None
        return node.name

    # ------------------------------------------------------------ internals
    def _set(self, **changes) -> None:
        self.settings = DisplaySettings(**{**self.settings.__dict__, **changes})
        if self.renderer.last is not None:
            self._redisplay_timer.start()

    def _on_layer(self, layer: str) -> None:
        if layer and layer != self.settings.layer:
            self._set(layer=layer)

    def _on_doc_event(self, *args) -> None:
        self.node_name = self._follow(self.node_name, args)
        self.b_name = self._follow(self.b_name, args)
        self.refresh()

    def _follow(self, name: str | None, args: tuple) -> str | None:
        """`name`, or the node's new name after a rename, or None once it was removed."""
        if name is None or self.doc is None or name in self.doc:
            return name
        return next((n.name for n in self.doc.nodes if args and n is args[0]), None)

    def _describe(self, slot: str) -> str:
        """`Write1 ← Grade1`: the node set for `slot` and, when it differs, the node evaluated."""
        name = self.node_name if slot == A else self.b_name
        if self.doc is None or name not in self.doc:
            return "—" if slot == A else NO_B
        target = self.target(slot)
        return name if target == name else f"{name} ← {target or '(no input)'}"

    def _request(self) -> None:
        comparing = self.compare is not CompareMode.OFF
        a_text, b_text = self._describe(A), self._describe(B)
        self.node_label.setText(f"  A {a_text}   B {b_text}  " if comparing else f"  {a_text}  ")
        self.canvas.set_labels(f"A  {a_text}", f"B  {b_text}")
        settings = self.settings.at_scale(self.canvas.display_scale())
        wanted = {"region": self.request_region(), "scale": self.proxy_scale}
        target = self.target(A)
        if target is None:
            self._clear(A)
            viewed = self.node_name if self.doc is not None and self.node_name in self.doc else None
            self._show_message(A, f"{viewed} has no input to show" if viewed else
                               "Select a node and press 1 in the graph to view it")
            if not viewed:
                self.node_label.setText("  —  ")
        else:
            self.renderer.request(self.doc, target, self.frame, settings, A, **wanted)
        b_target = self.target(B) if comparing else None
        if b_target is not None:
            self.renderer.request(self.doc, b_target, self.frame, settings, B, **wanted)
        elif comparing:
            self._clear(B)

    def _clear(self, slot: str) -> None:
        """`slot` has nothing to show: drop its picture, and the difference, which needs it."""
        for gone in (slot, DIFFERENCE):
            self.renderer.forget(gone)
            self.canvas.set_frame(None, gone)
            self._forget_backdrop(gone)
        self._difference_of = None

    def _forget_backdrop(self, slot: str) -> None:
        self._backdrops.pop(slot, None)
        self.canvas.set_backdrop(None, slot)

    def _request_difference(self) -> None:
        """Show |A - B| from the pictures A and B have now, once per pair of pictures and settings.

        Called when A or B delivers a picture, when the display settings change, and when the
        renderer goes idle: an evaluation whose key did not change delivers nothing, so idle is
        when the pictures there are are the ones to compare.
        """
        a, b = self.renderer.result(A), self.renderer.result(B)
        if self.compare is not CompareMode.DIFFERENCE or a is None or b is None or self.target(B) is None:
            return
        settings = self.settings.at_scale(self.canvas.display_scale())
        inputs = (a.generation, b.generation, settings)
        if a.request == b.request and inputs != self._difference_of:
            self._difference_of = inputs
            self.renderer.difference(a, b, settings)

    def _shown_slots(self) -> tuple[str, ...]:
        return {CompareMode.OFF: (A,), CompareMode.DIFFERENCE: (DIFFERENCE,)}.get(self.compare, (A, B))

    def _redisplay(self) -> None:
        settings = self.settings.at_scale(self.canvas.display_scale())
        for slot in self._shown_slots():
            if slot == DIFFERENCE:
                self._request_difference()
            elif self.renderer.result(slot) is not None and self.renderer.redisplay(settings, slot) is None:
                self._request()  # an evaluation is on its way: ask again with the new settings
                return

    def _show_message(self, slot: str, text: str) -> None:
        self._message_slot = slot if text else None
        self.canvas.set_message(text)

    def _on_frame(self, result: ViewResult) -> None:
        if not self.renderer.accept(result):
            return
        if self._message_slot in (None, result.slot):
            self._show_message(result.slot, "")
        self._show_backdrop(result)
        self.canvas.set_frame(result.frame, result.slot)
        if result.slot in (A, B):
            self._request_difference()
        if result.settings.scale != self.canvas.display_scale() and result.frame.rgba.size:
            self._redisplay_timer.start()
        if result.slot == A:
            self._update_layers(result)
        self.frame_shown.emit(result)

    def _show_backdrop(self, result: ViewResult) -> None:
        """Keep a whole picture as its input's backdrop; under a region, show the backdrop of the same node."""
        slot = result.slot
        if result.request.region is None:
            self._backdrops[slot] = result.frame  # what is drawn around a region of interest later
            self.canvas.set_backdrop(None, slot)
            return
        backdrop = self._backdrops.get(slot)
        if backdrop is not None and backdrop.node != result.frame.node:
            backdrop = None
        self.canvas.set_backdrop(backdrop, slot)

    def _update_layers(self, result: ViewResult) -> None:
        layers = list(result.image.layers())
        if [self.layer_box.itemText(i) for i in range(self.layer_box.count())] != layers:
            blocker = QtCore.QSignalBlocker(self.layer_box)
            self.layer_box.clear()
            self.layer_box.addItems(layers)
            self.layer_box.setCurrentText(self.settings.layer if self.settings.layer in layers else layers[0])
            del blocker

    def _on_failed(self, failure: ViewFailure) -> None:
        if not self.renderer.accept(failure):
            return
        self.canvas.set_frame(None, failure.slot)
        prefix = "" if failure.slot == A else f"{SLOT_NAMES[failure.slot]}: "
        self._show_message(failure.slot, prefix + failure.message)
        self.failed.emit(failure)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText("  rendering…" if busy else "")
        self.canvas.overlay = "rendering…" if busy else ""
        self.canvas.update()
        if not busy:
            self._request_difference()

    def _on_progress(self, node: str, fraction: float) -> None:
        self.busy_label.setText(f"  {node} {fraction:.0%}")

    def _on_probe(self, x: int, y: int) -> None:
        layout = self.canvas.layout()
        if layout is None:
            return
        slot, fx, fy = layout.locate(x + 0.5, y + 0.5)
        x, y = math.floor(fx), math.floor(fy)
        last = self.renderer.result(slot)
        side = "" if self.compare is CompareMode.OFF else f" {SLOT_NAMES[slot]:>3} "
        self.probe_label.setText(probe_text(last, x, y, self.settings.layer, side))


def _spin(parent: QtWidgets.QWidget, low: float, high: float, step: float, value: float,
          tip: str) -> QtWidgets.QDoubleSpinBox:
    box = QtWidgets.QDoubleSpinBox(parent)
    box.setRange(low, high)
    box.setSingleStep(step)
    box.setDecimals(2)
    box.setValue(value)
    box.setToolTip(tip)
    box.setKeyboardTracking(False)
    return box
