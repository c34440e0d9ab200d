"""The viewer panel: the viewed node's image at the current frame, rendered off the UI thread.

It follows the document: any edit re-requests the picture (the engine's cache makes unchanged
branches free, and a result whose cache key did not change is not redrawn). Viewing a Write
node shows its input, since evaluating a Write would write files. The toolbar holds channels
(RGB, R, G, B, A, luma), the layer, exposure, gamma, the OCIO display/view, fit / 1:1, the
proxy scale and the region of interest; the bottom line is a pixel probe with linear values
and the 8-bit display values.

The proxy scale (1, 1/2, 1/4, 1/8) and the region of interest go into the engine request, so
nodes that honour them compute fewer pixels; the canvas keeps full-resolution coordinates, so
the outlines and the probe read the same image positions at any proxy scale.
"""

from __future__ import annotations

import numpy as np
from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.node import Node
from nodecomp.engine.cache import ImageCache
from nodecomp.engine.colour import colour_manager
from nodecomp.engine.image import MAIN_LAYER, Box
from nodecomp.ui.display import DisplayView, default_display_view, display_views
from nodecomp.ui.viewer_canvas import ImageCanvas
from nodecomp.ui.viewer_image import Channels, DisplayFrame, DisplaySettings, layer_channels
from nodecomp.ui.viewer_renderer import ViewerRenderer, ViewFailure, ViewResult

CHANNEL_KEYS = {Channels.RED: "R", Channels.GREEN: "G", Channels.BLUE: "B", Channels.ALPHA: "A", Channels.LUMA: "Y"}
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
        self.frame = 1.0
        self.settings = DisplaySettings()
        self.proxy_scale = 1.0
        self.roi: Box | None = None
        self.roi_enabled = False
        self._backdrop: DisplayFrame | None = None
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
        self.canvas.roi_drawn.connect(self.set_roi)
        self.canvas.set_message("Select a node and press 1 in the graph to view it")

    # ------------------------------------------------------------- toolbar
    def _build_toolbar(self) -> None:
        bar = self.toolbar = QtWidgets.QToolBar(self)
        bar.setIconSize(QtCore.QSize(16, 16))
        self.node_label = QtWidgets.QLabel("  —  ", bar)
        self.node_label.setMinimumWidth(110)
        bar.addWidget(self.node_label)
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
        self.node_name = None
        self.roi = self._backdrop = None
        self.canvas.set_roi(None, self.roi_enabled)
        self.canvas.set_backdrop(None)
        self.canvas.set_frame(None)
        self.canvas.set_message("Select a node and press 1 in the graph to view it")
        self.node_label.setText("  —  ")

    def view_node(self, node: Node | None) -> None:
        """Show `node` (a Write node shows its input)."""
        self.node_name = node.name if node is not None else None
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
        """Compute the picture at `scale` of full resolution (1, 1/2, 1/4 or 1/8)."""
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
        """The region of interest in full-resolution image pixels (used while it is enabled)."""
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
        """Stop rendering (before the window closes)."""
        self._refresh_timer.stop()
        self._redisplay_timer.stop()
        self.renderer.shutdown()

    def target(self) -> str | None:
        """The node actually evaluated: the viewed node, or a Write's input."""
        if self.doc is None or self.node_name is None or self.node_name not in self.doc:
            return None
        node = self.doc[self.node_name]
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
        if self.node_name is not None and self.doc is not None and self.node_name not in self.doc:
            self.node_name = next((n.name for n in self.doc.nodes if args and n is args[0]), None)
        self.refresh()

    def _request(self) -> None:
        target = self.target()
        if target is None:
            self.renderer.cancel_all()
            self.canvas.set_frame(None)
            viewed = self.node_name if self.doc is not None and self.node_name in self.doc else None
            self.canvas.set_message(f"{viewed} has no input to show" if viewed else
                                    "Select a node and press 1 in the graph to view it")
            self.node_label.setText(f"  {viewed or '—'}  ")
            return
        label = target if target == self.node_name else f"{self.node_name} ← {target}"
        self.node_label.setText(f"  {label}  ")
        settings = self.settings.at_scale(self.canvas.display_scale())
        self.renderer.request(self.doc, target, self.frame, settings, self.request_region(), self.proxy_scale)

    def _redisplay(self) -> None:
        if self.renderer.last is None:
            return
        if self.renderer.redisplay(self.settings.at_scale(self.canvas.display_scale())) is None:
            self._request()  # an evaluation is on its way: ask again with the new settings

    def _on_frame(self, result: ViewResult) -> None:
        if not self.renderer.accept(result):
            return
        self.canvas.set_message("")
        if result.request.region is None:
            self._backdrop = result.frame  # what is drawn around a region of interest later
        backdrop = self._backdrop
        if result.request.region is None or (backdrop is not None and backdrop.node != result.frame.node):
            backdrop = None
        self.canvas.set_backdrop(backdrop)
        self.canvas.set_frame(result.frame)
        layers = list(result.image.layers())
        if [self.layer_box.itemText(i) for i in range(self.layer_box.count())] != layers:
            blocker = QtCore.QSignalBlocker(self.layer_box)
            self.layer_box.clear()
            self.layer_box.addItems(layers)
            self.layer_box.setCurrentText(self.settings.layer if self.settings.layer in layers else layers[0])
            del blocker
        if result.settings.scale != self.canvas.display_scale() and result.frame.rgba.size:
            self._redisplay_timer.start()
        self.frame_shown.emit(result)

    def _on_failed(self, failure: ViewFailure) -> None:
        if not self.renderer.accept(failure):
            return
        self.canvas.set_frame(None)
        self.canvas.set_message(failure.message)
        self.failed.emit(failure)

    def _on_busy(self, busy: bool) -> None:
        self.busy_label.setText("  rendering…" if busy else "")
        self.canvas.overlay = "rendering…" if busy else ""
        self.canvas.update()

    def _on_progress(self, node: str, fraction: float) -> None:
        self.busy_label.setText(f"  {node} {fraction:.0%}")

    def _on_probe(self, x: int, y: int) -> None:
        """Linear values of the pixel under the cursor (full-resolution x, y) and its display values."""
        last = self.renderer.last
        if last is None:
            return
        image, frame, step = last.image, last.frame, last.request.step
        ix, iy = x // step, y // step  # the proxy pixel holding (x, y)
        dw = image.data_window
        if not (dw.x0 <= ix < dw.x1 and dw.y0 <= iy < dw.y1):
            region = last.request.region
            where = "the region of interest" if region is not None and not (
                region.x0 <= x < region.x1 and region.y0 <= y < region.y1) else "the data window"
            self.probe_label.setText(f" x {x:5d}  y {y:5d}   outside {where}")
            return
        names = layer_channels(image, self.settings.layer) or list(image.channels)
        pixels = image.pixels if isinstance(image.pixels, np.ndarray) else image.pixels.detach().cpu().numpy()
        row = pixels[iy - dw.y0, ix - dw.x0]
        linear = "  ".join(f"{n.rsplit('.', 1)[-1]} {float(row[image.channels.index(n)]):.4f}" for n in names)
        text = f" x {x:5d}  y {y:5d}   linear {linear}"
        if frame.rgba.size:
            fw = frame.data_window
            py = min(int((y - fw.y0) * frame.scale), frame.rgba.shape[0] - 1)
            px = min(int((x - fw.x0) * frame.scale), frame.rgba.shape[1] - 1)
            r, g, b = (int(v) for v in frame.rgba[py, px, :3])
            text += f"   display {r} {g} {b}"
        if step > 1:
            text += f"   proxy 1/{step}"
        self.probe_label.setText(text)


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
