"""The desktop app (PySide6 + NodeGraphQt). Qt is imported only under this package.

Panels are views of the core Document: `graph_view` (the node graph, through NodeGraphQt),
`viewer` (the picture, rendered off the UI thread), `properties_panel`, `timeline`,
`curve_editor`, `dope_sheet` and `render_dialog`; `main_window` composes them and `app.run`
starts the app.
"""

from nodecomp.ui.pyside_compat import pin_refcounts

pin_refcounts()  # before any signal is emitted: see pyside_compat
