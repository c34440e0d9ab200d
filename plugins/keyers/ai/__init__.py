"""AI mattes: the shipped matting network, model loading and caching, tiled inference, training.

Nothing in this package imports torch at module level: torch (and onnxruntime) are imported by
the functions that need them, so loading the plugin, the app and the command line stay light.
"""
