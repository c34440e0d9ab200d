"""The document model: graph, params, animation, undo and the `.ncomp` file format.

Nothing here imports numpy-heavy code, Qt or torch: the core must load in any process.
"""
