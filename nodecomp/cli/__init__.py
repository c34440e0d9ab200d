"""The `nodecomp` command line: headless, never imports Qt or torch."""
