"""The main window: viewer and timeline in the middle, the node graph below, properties on the right.

The curve editor and the dope sheet share the bottom dock area with the node graph (as tabs);
they show the animation of the selected nodes and of those whose properties are open.

It composes the panels and wires them to the open document: the timeline's frame is the
document's current frame and the viewer's; selecting nodes opens their properties; key 1 in
the graph views a node, key 2 sets it as the viewer's B input to compare with; a failed
render marks its node red in the graph, and cached and computing nodes get a badge; Edit > Undo
and Redo walk the document's history. The window owns one image cache for the viewer, the cache
line, renders started from the render dialog and node actions (Train, Track, Export LUT), which
run as background jobs in their own windows and re-render the viewer when their node's output
changes. Preferences are read from the user's config file at start-up and applied again, live,
when Edit > Preferences changes them.
"""

from __future__ import annotations

import os

from PySide6 import QtCore, QtGui, QtWidgets

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.node import Node
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.cache import ImageCache, default_budget_bytes
from nodecomp.plugin_sources import PATH_VARIABLE
from nodecomp.ui.action_dialog import ActionDialog
from nodecomp.ui.action_runner import ActionOutcome
from nodecomp.ui.curve_editor import CurveEditor
from nodecomp.ui.dialogs import DialogPrompts
from nodecomp.ui.document_session import DocumentSession, Prompts
from nodecomp.ui.dope_sheet import DopeSheet
from nodecomp.ui.graph_actions import GraphActions
from nodecomp.ui.graph_view import GraphView
from nodecomp.ui.group_actions import GroupActions, ScopeBar
from nodecomp.ui.node_states import NodeStates
from nodecomp.ui.preferences import Preferences, load_preferences, save_preferences
from nodecomp.ui.preferences_dialog import MIB, PreferencesDialog
from nodecomp.ui.properties_panel import PropertiesPanel
from nodecomp.ui.render_dialog import RenderDialog
from nodecomp.ui.timeline import CacheLine, Timeline
from nodecomp.ui.viewer import Viewer
from nodecomp.ui.viewer_renderer import ViewFailure

CACHE_LINE_DELAY_MS = 250
STATUS_MS = 8000


class MainWindow(QtWidgets.QMainWindow):
    """The nodecomp desktop app window.

    Args:
        registry: node types (the process-wide registry with plugins when None).
        cache: the image cache (a new one with the interactive budget when None).
        settings: where preferences and recent files live (the user's QSettings when None).
        prompts: how to ask the user (dialogs when None).
        autosave_seconds: autosave interval (the preference when None).
        preferences: the user's preferences (read from their file when None).
    """

    def __init__(self, *, registry: NodeRegistry | None = None, cache: ImageCache | None = None,
                 settings: QtCore.QSettings | None = None, prompts: Prompts | None = None,
                 autosave_seconds: float | None = None, preferences: Preferences | None = None) -> None:
        super().__init__()
        self.preferences = preferences if preferences is not None else load_preferences()
        self._environ_before = {name: os.environ.get(name) for name in ("OCIO", PATH_VARIABLE)}
        self._apply_environment(self.preferences)  # before the registry: its folders load with the rest
        if registry is None:
            from nodecomp.plugin_loader import default_registry

            registry = default_registry()
        self.registry = registry
        self._plugin_report = None
        self.cache = cache if cache is not None else ImageCache(default_budget_bytes())
        if self.preferences.cache_mb:
            self.cache.set_budget(self.preferences.cache_mb * MIB)
        self.settings = settings if settings is not None else QtCore.QSettings("nodecomp", "nodecomp")
        if autosave_seconds is None:
            autosave_seconds = self.preferences.autosave_minutes * 60
        self.session = DocumentSession(registry, self.settings, prompts or DialogPrompts(self), autosave_seconds, self)
        self.doc: Document = self.session.doc
        self.render_dialog: RenderDialog | None = None
        self.action_dialogs: dict[tuple[str, str], ActionDialog] = {}  # (node id, action) -> its window
        self._closing = False
        self.graph_view = GraphView(self.doc, self)
        self.graph_actions = GraphActions(self.graph_view, self)
        self.group_actions = GroupActions(self.graph_view, self)
        self.graph_actions.group_actions = list(self.group_actions.actions.values())
        self.viewer = Viewer(self.cache, self)
        self.timeline = Timeline(self)
        self.properties = PropertiesPanel(self)
        self.curve_editor = CurveEditor(self)
        self.dope_sheet = DopeSheet(self)
        self.key_editors = (self.curve_editor, self.dope_sheet)
        self.cache_line = CacheLine(self.cache, self)
        self.node_states = NodeStates(self.cache, self)
        self._cache_line_timer = QtCore.QTimer(self, singleShot=True, interval=CACHE_LINE_DELAY_MS)
        self._cache_line_timer.timeout.connect(self._update_cache_line)
        self._layout()
        self._menus()
        self._wire()
        self._bind(self.doc)
        self.resize(1600, 1000)

    # -------------------------------------------------------------- layout
    def _layout(self) -> None:
        centre = QtWidgets.QWidget(self)
        column = QtWidgets.QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.viewer, 1)
        column.addWidget(self.timeline)
        self.setCentralWidget(centre)
        areas = QtCore.Qt.DockWidgetArea
        graph_panel = QtWidgets.QWidget(self)
        graph_column = QtWidgets.QVBoxLayout(graph_panel)
        graph_column.setContentsMargins(0, 0, 0, 0)
        graph_column.setSpacing(0)
        self.scope_bar = ScopeBar(self.graph_view, graph_panel)
        graph_column.addWidget(self.scope_bar)
        graph_column.addWidget(self.graph_view.widget, 1)
        self.graph_dock = self._dock("Node Graph", graph_panel, areas.BottomDockWidgetArea)
        self.properties_dock = self._dock("Properties", self.properties, areas.RightDockWidgetArea)
        self.curve_dock = self._dock("Curve Editor", self.curve_editor, areas.BottomDockWidgetArea)
        self.dope_dock = self._dock("Dope Sheet", self.dope_sheet, areas.BottomDockWidgetArea)
        self.tabifyDockWidget(self.graph_dock, self.curve_dock)
        self.tabifyDockWidget(self.curve_dock, self.dope_dock)
        self.graph_dock.raise_()
        self.resizeDocks([self.graph_dock], [380], QtCore.Qt.Orientation.Vertical)
        self.resizeDocks([self.properties_dock], [500], QtCore.Qt.Orientation.Horizontal)
        self.statusBar().showMessage("Tab in the node graph creates nodes; 1 views the selected node, 2 compares "
                                     "it with the viewed one.", STATUS_MS)

    def _dock(self, title: str, widget: QtWidgets.QWidget, area: QtCore.Qt.DockWidgetArea) -> QtWidgets.QDockWidget:
        dock = QtWidgets.QDockWidget(title, self)
        dock.setObjectName(title.replace(" ", ""))
        dock.setWidget(widget)
        dock.setFeatures(QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetMovable
                         | QtWidgets.QDockWidget.DockWidgetFeature.DockWidgetFloatable)
        self.addDockWidget(area, dock)
        return dock

    def _action(self, menu: QtWidgets.QMenu, text: str, slot, shortcut=None) -> QtGui.QAction:
        action = menu.addAction(text)
        if shortcut is not None:
            action.setShortcut(QtGui.QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        keys = QtGui.QKeySequence.StandardKey
        file_menu = bar.addMenu("&File")
        self._action(file_menu, "&New", self.session.new, keys.New)
        self._action(file_menu, "&Open…", self.session.open, keys.Open)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._action(file_menu, "&Save", self.session.save, keys.Save)
        self._action(file_menu, "Save &As…", self.session.save_as, keys.SaveAs)
        file_menu.addSeparator()
        self._action(file_menu, "&Render…", self.open_render_dialog, "F7")
        file_menu.addSeparator()
        self._action(file_menu, "&Quit", self.close, keys.Quit)
        edit = bar.addMenu("&Edit")
        self.undo_action = self._action(edit, "&Undo", lambda: self.doc.undo(), keys.Undo)
        self.redo_action = self._action(edit, "&Redo", lambda: self.doc.redo(), keys.Redo)
        edit.addSeparator()
        for key in ("search", "copy", "cut", "paste", "duplicate", "delete", "delete_disconnect", "disable",
                    "rename", "colour", "dot", "backdrop", "layout"):
            edit.addAction(self.graph_actions.actions[key])
        group_menu = edit.addMenu("&Group")
        for action in self.group_actions.actions.values():
            group_menu.addAction(action)
        edit.addSeparator()
        self.preferences_action = self._action(edit, "&Preferences…", self.open_preferences,
                                               QtGui.QKeySequence.StandardKey.Preferences)
        self.preferences_action.setMenuRole(QtGui.QAction.MenuRole.PreferencesRole)
        view = bar.addMenu("&View")
        view.addAction(self.graph_actions.actions["view"])
        view.addAction(self.graph_actions.actions["view_b"])
        view.addMenu(self.viewer.compare_menu)
        view.addAction(self.graph_actions.actions["frame"])
        self._action(view, "Fit Viewer", self.viewer.canvas.fit)
        self._action(view, "Viewer 1:1", self.viewer.canvas.one_to_one)
        view.addAction(self.viewer.exact_action)
        view.addSeparator()
        view.addAction(self.graph_dock.toggleViewAction())
        view.addAction(self.properties_dock.toggleViewAction())
        view.addAction(self.curve_dock.toggleViewAction())
        view.addAction(self.dope_dock.toggleViewAction())
        plugins = bar.addMenu("&Plugins")
        self.reload_menu = plugins.addMenu("&Reload")
        self.reload_menu.aboutToShow.connect(self._fill_reload)
        self._action(plugins, "Load &Report…", self._show_plugin_report)
        help_menu = bar.addMenu("&Help")
        self._action(help_menu, "&About nodecomp", self._about)

    def _wire(self) -> None:
        self.session.document_changed.connect(self._bind)
        self.session.state_changed.connect(self._update_title)
        self.graph_view.selection_changed.connect(self._on_selection)
        self.graph_view.node_activated.connect(self.properties.open)
        self.graph_view.message.connect(self._status)
        self.graph_actions.view_requested.connect(self.view_node)
        self.graph_actions.compare_requested.connect(self.viewer.set_b_node)
        self.properties.message.connect(self._status)
        self.properties.action_requested.connect(self.run_node_action)
        self.timeline.message.connect(self._status)
        self.timeline.frame_changed.connect(self._on_frame)
        self.viewer.frame_shown.connect(self._on_frame_shown)
        self.viewer.failed.connect(self._on_failed)
        self.viewer.renderer.computing.connect(self.node_states.set_computing)
        self.viewer.renderer.busy_changed.connect(lambda busy: busy or self.node_states.idle())
        self.node_states.changed.connect(self.graph_view.set_states)
        self.cache_line.ready.connect(self.timeline.set_cached)
        self.properties.nodes_changed.connect(self._show_animation)
        for editor in self.key_editors:
            editor.frame_requested.connect(self.timeline.set_frame)
            editor.message.connect(self._status)

    # ------------------------------------------------------------ document
    def _bind(self, doc: Document) -> None:
        if doc is not self.doc:
            self.doc.undo_stack.changed.disconnect(self._update_undo)
            self.doc.events.changed.disconnect(self._schedule_cache_line)
        self.doc = doc
        doc.undo_stack.changed.connect(self._update_undo)
        doc.events.changed.connect(self._schedule_cache_line)
        self.graph_view.set_document(doc)
        self.viewer.set_document(doc)
        self.properties.set_document(doc)
        self.viewer.set_frame(doc.current_frame)
        self.properties.set_frame(doc.current_frame)
        self.timeline.set_document(doc)
        for editor in self.key_editors:
            editor.set_document(doc)
            editor.set_frame(doc.current_frame)
        self.view_node(_default_view(doc))
        self._update_undo()
        self._update_title()

    def set_document(self, doc: Document) -> bool:
        """Show a document made in code (a script's `nodecomp.Document`)."""
        return self.session.set_document(doc)

    def open_file(self, path: str) -> bool:
        """Open a comp (offering a newer autosave); False when it could not be opened."""
        return self.session.open(path)

    def view_node(self, node: Node | None) -> None:
        """Show `node` in the viewer and update the cache line for it."""
        self.viewer.view_node(node)
        self._schedule_cache_line()

    def _update_title(self) -> None:
        self.setWindowTitle(f"{self.session.title} — nodecomp")

    def _update_undo(self) -> None:
        stack = self.doc.undo_stack
        self.undo_action.setEnabled(stack.can_undo)
        self.redo_action.setEnabled(stack.can_redo)
        self.undo_action.setText(f"&Undo {stack.undo_label}" if stack.can_undo else "&Undo")
        self.redo_action.setText(f"&Redo {stack.redo_label}" if stack.can_redo else "&Redo")
        self._update_title()

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        for path in self.session.recent():
            action = self.recent_menu.addAction(path)
            action.setEnabled(os.path.exists(path))
            action.triggered.connect(lambda _checked=False, p=path: self.session.open(p))
        if not self.recent_menu.actions():
            self.recent_menu.addAction("(none)").setEnabled(False)

    # -------------------------------------------------------------- events
    def _on_selection(self, nodes: list[Node]) -> None:
        for node in nodes[:1] if len(nodes) == 1 else []:
            self.properties.open(node)
        self._show_animation()

    def _show_animation(self) -> None:
        nodes = [*self.graph_view.selected(), *self.properties.open_nodes()]
        for editor in self.key_editors:
            editor.set_nodes(nodes)

    def _on_frame(self, frame: float) -> None:
        self.doc.current_frame = frame
        self.viewer.set_frame(frame)
        self.properties.set_frame(frame)
        for editor in self.key_editors:
            editor.set_frame(frame)

    def _on_frame_shown(self, _result: object) -> None:
        self.graph_view.clear_errors()
        self._schedule_cache_line()

    def _on_failed(self, failure: ViewFailure) -> None:
        self.graph_view.clear_errors()
        if failure.node:
            self.graph_view.set_error(failure.node, failure.message)
        self._status(failure.message)

    def _schedule_cache_line(self, *_args: object) -> None:
        self._cache_line_timer.start()
        self.node_states.update(self.doc, self.doc.current_frame)

    def _update_cache_line(self) -> None:
        self.cache_line.update(self.doc, self.viewer.target(), self.viewer.request_region(), self.viewer.proxy_scale)

    def _status(self, text: str) -> None:
        self.statusBar().showMessage(text, STATUS_MS)

    def open_render_dialog(self) -> RenderDialog:
        """Show the render dialog for the open document."""
        if self.render_dialog is not None and self.render_dialog.running:
            self.render_dialog.raise_()
            return self.render_dialog
        if self.render_dialog is not None:
            self.render_dialog.deleteLater()
        self.render_dialog = RenderDialog(self.doc, self.cache, self)
        self.render_dialog.finished_render.connect(lambda _result: self._on_render_finished())
        self.render_dialog.computing.connect(
            lambda name, started: self.node_states.set_computing(name, started, "render"))
        self.render_dialog.show()
        return self.render_dialog

    def _on_render_finished(self) -> None:
        self.node_states.idle("render")  # a cancelled frame may not have said its computes ended
        self.node_states.update(self.doc, self.doc.current_frame)  # rendered frames are cached now
        self._schedule_cache_line()

    def run_node_action(self, node: Node, action: str) -> ActionDialog | None:
        """Start `node`'s `action` as a background job in its own window (or show the one running)."""
        key = (node.id, action)
        dialog = self.action_dialogs.get(key)
        if dialog is not None and dialog.running:
            dialog.show()
            dialog.raise_()
            return dialog
        if dialog is not None:
            dialog.deleteLater()
        try:
            dialog = ActionDialog(self.doc, node, action, frame=self.doc.current_frame, cache=self.cache, parent=self)
        except NodecompError as exc:
            self._status(str(exc))
            return None
        self.action_dialogs[key] = dialog
        dialog.output_changed.connect(self.viewer.refresh)
        dialog.finished_action.connect(lambda outcome, d=dialog, n=node: self._on_action_finished(d, n, outcome))
        self.properties.set_running(node, action, True)
        dialog.show()
        dialog.start()
        return dialog

    def _on_action_finished(self, dialog: ActionDialog, node: Node, outcome: ActionOutcome) -> None:
        self.properties.set_running(node, dialog.spec.name, False)
        label = f"{dialog.spec.display_label} {node.name}"
        if outcome.result is not None:
            if outcome.result.params and dialog.doc is not self.doc:
                self._status(f"{label}: its comp was closed meanwhile; its edits were not applied")
            elif not outcome.result.apply(self.doc):
                self._status(f"{label}: the node was deleted meanwhile; its edits were not applied")
            else:
                self._status(f"{label}: {outcome.result.message or 'done'}")
        else:
            self._status(f"{label}: {outcome.error}")
        self.viewer.refresh()  # a model file or keys changed: the node's cache key did too
        self._schedule_cache_line()

    def _fill_reload(self) -> None:
        from nodecomp.plugin_loader import Source, default_report

        self.reload_menu.clear()
        names = [info.name for info in default_report().plugins.values() if info.source is not Source.BUILTIN]
        for name in sorted(names):
            self._action(self.reload_menu, name, lambda n=name: self.reload_plugin(n))
        if not names:
            self.reload_menu.addAction("(no plugins loaded)").setEnabled(False)

    def reload_plugin(self, name: str) -> bool:
        """Re-import plugin `name` (development): its nodes use the new code, the viewer re-renders."""
        from nodecomp.core.errors import PluginError
        from nodecomp.plugin_loader import reload_plugin

        try:
            info = reload_plugin(name, [self.doc])
        except PluginError as exc:
            self.statusBar().showMessage(str(exc), 10000)
            QtWidgets.QMessageBox.warning(self, "Plugin reload failed", str(exc))
            return False
        self.viewer.refresh()
        self.statusBar().showMessage(f"Reloaded {info.name}: {len(info.node_types)} node types", 5000)
        return True

    def _show_plugin_report(self) -> None:
        from nodecomp.plugin_loader import default_report

        QtWidgets.QMessageBox.information(self, "Plugins", "\n".join(default_report().lines()) or "No plugins.")

    def _about(self) -> None:
        from nodecomp import __version__

        QtWidgets.QMessageBox.about(self, "About nodecomp",
                                    f"nodecomp {__version__}\nNode-based compositing for VFX and virtual production.")

    def closeEvent(self, event: QtGui.QCloseEvent) -> None:  # noqa: N802 - Qt override
        """Ask about unsaved changes, then stop every background thread before the widgets go."""
        if not self._closing and not self.session.maybe_close():
            event.ignore()
            return
        self.shutdown()
        super().closeEvent(event)

    def shutdown(self) -> None:
        """Stop rendering, autosave and timers (idempotent)."""
        if self._closing:
            return
        self._closing = True
        self.timeline.stop()
        self._cache_line_timer.stop()
        if self.render_dialog is not None:
            self.render_dialog.close()
        for dialog in self.action_dialogs.values():
            dialog.cancel()
        for dialog in self.action_dialogs.values():
            dialog.wait()
        self.viewer.shutdown()
        self.cache_line.shutdown()
        self.node_states.shutdown()
        self.session.shutdown()
        self.graph_view.close()
        for name, value in self._environ_before.items():  # the process goes back to how it started
            _set_environ(name, value)

    # --------------------------------------------------------- preferences
    def open_preferences(self) -> PreferencesDialog:
        """Show Edit > Preferences; OK saves them and applies them at once."""
        dialog = PreferencesDialog(self.preferences, self)
        dialog.accepted.connect(lambda: self.set_preferences(dialog.value()))
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def set_preferences(self, preferences: Preferences) -> bool:
        """Save `preferences` to the user's file and apply them; False (said why) when saving failed."""
        try:
            path = save_preferences(preferences)
        except OSError as exc:
            QtWidgets.QMessageBox.warning(self, "Preferences", f"The preferences could not be saved: {exc}")
            return False
        self._status(f"Preferences saved to {path}")
        self.apply_preferences(preferences)
        return True

    def apply_preferences(self, preferences: Preferences) -> None:
        """Apply what changed to the running app: cache budget, OCIO config, plugins, autosave."""
        old, self.preferences = self.preferences, preferences
        if preferences.cache_mb != old.cache_mb:
            self.cache.set_budget(preferences.cache_mb * MIB if preferences.cache_mb else default_budget_bytes())
        if preferences.autosave_minutes != old.autosave_minutes:
            self.session.set_autosave_seconds(preferences.autosave_minutes * 60)
        self._apply_environment(preferences)
        if preferences.plugin_folders and preferences.plugin_folders != old.plugin_folders:
            self._load_plugin_folders(preferences.plugin_folders)
        if preferences.ocio_config != old.ocio_config:
            viewed, compared, mode = self.viewer.node_name, self.viewer.b_name, self.viewer.compare
            # the display/view menu comes from the new config, and pictures are drawn again
            # though their cache keys did not change (set_document forgets them)
            self.viewer.set_document(self.doc)
            self.view_node(self.doc.find(viewed) if viewed else None)
            if compared is not None and self.doc.find(compared) is not None:
                self.viewer.set_b_node(self.doc.find(compared))
                self.viewer.set_compare(mode)

    def _apply_environment(self, preferences: Preferences) -> None:
        """Put the OCIO config and plugin folders in the environment, ahead of what the shell set.

        That is how they reach the engine's colour management, plugin discovery and farm workers.
        """
        _set_environ("OCIO", preferences.ocio_config or self._environ_before["OCIO"])
        before = [p for p in (self._environ_before[PATH_VARIABLE] or "").split(os.pathsep) if p.strip()]
        folders = list(dict.fromkeys([*preferences.plugin_folders, *before]))
        _set_environ(PATH_VARIABLE, os.pathsep.join(folders) if folders else None)

    def _load_plugin_folders(self, folders: tuple[str, ...]) -> None:
        from nodecomp.plugin_loader import LoadReport, default_registry, default_report, load_plugin_folders

        if self.registry is default_registry():
            report = default_report()
        else:  # a registry handed in (tests, embedding): its own report of what loaded later
            report = self._plugin_report = self._plugin_report or LoadReport()
        failed = len(report.errors)
        loaded = load_plugin_folders(folders, [self.doc], registry=self.registry, report=report)
        problems = [str(error) for error in report.errors[failed:]]
        names = ", ".join(info.name for info in loaded) or "none"
        self._status(f"Plugins loaded from the plugin folders: {names}" + (f"; {len(problems)} failed" if problems
                                                                            else ""))
        if problems:
            QtWidgets.QMessageBox.warning(self, "Plugins", "\n".join(problems))

    def force_close(self) -> None:
        """Close without asking (tests, and after the session already asked)."""
        self._closing = False
        self.shutdown()
        self.close()


def _default_view(doc: Document) -> Node | None:
    """What the viewer shows first: the first Write node (its input), else the last node with an image."""
    outputs = doc.outputs()
    if outputs:
        return outputs[0]
    return next((n for n in reversed(doc.nodes) if n.node_type is None or n.node_type.outputs), None)


def _set_environ(name: str, value: str | None) -> None:
    if value:
        os.environ[name] = value
    else:
        os.environ.pop(name, None)
