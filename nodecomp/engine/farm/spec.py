"""What travels to a worker: the document as JSON plus how to resolve and render it.

Everything here is plain data (pickled by Dask), so a worker needs nothing of the submitting
machine but nodecomp itself: it rebuilds the document from its JSON with its own node registry,
applies the path map for its operating system, and renders the frames it is given.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from typing import Any

from nodecomp.core.document import Document
from nodecomp.core.errors import NodecompError
from nodecomp.core.fileformat import document_from_dict
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.farm.pathmap import PathMap, PathRule

DEFAULT_REGISTRY = "nodecomp.plugin_loader:default_registry"
"""Where a worker gets its node types: a `module:callable` returning a NodeRegistry.

Named rather than passed, because the engine never imports node packages itself and a
registry may hold plugin classes a worker has to import from its own installation.
"""


@dataclass(frozen=True)
class FarmJobSpec:
    """One farm job as a worker sees it.

    Attributes:
        job_id: unique per submission; names the Dask event topic and the task keys.
        document: the comp as `.ncomp` JSON data (`Document.to_dict()`).
        document_path: the script's path on the submitting machine (relative paths resolve
            against its folder), or None for an unsaved document.
        base_dir: the submitting machine's working directory, used for an unsaved document.
        outputs: names of the nodes to render (Write nodes).
        path_map: the path rules; each worker picks its own side of each (see `pathmap`).
        registry: `module:callable` giving the worker's node registry.
        threads: frames in flight inside one chunk (1 suits one-thread Dask workers).
        cache_mb: cache budget per worker in MiB (None: a quarter of the worker's memory limit,
            at most the batch-render default).
        resume: skip frames whose files are already complete (else only frames an earlier
            attempt of this same job finished are skipped).
    """

    job_id: str
    document: dict[str, Any]
    document_path: str | None
    base_dir: str
    outputs: tuple[str, ...]
    path_map: tuple[PathRule, ...] = ()
    registry: str = DEFAULT_REGISTRY
    threads: int = 1
    cache_mb: int | None = None
    resume: bool = False

    @property
    def topic(self) -> str:
        """The Dask event topic frames of this job are logged to."""
        return f"nodecomp-farm-{self.job_id}"

    def path_rules(self) -> PathMap:
        """The path map for the machine this runs on."""
        return PathMap(self.path_map)

    def build_document(self) -> Document:
        """The document as this machine should render it (registry loaded, paths mapped).

        Raises:
            NodecompError: the registry cannot be loaded, or the document does not load.
        """
        registry = load_registry(self.registry)
        rules = self.path_rules()
        anchor = self.document_path or os.path.join(self.base_dir, f"{self.document.get('name', 'untitled')}.ncomp")
        doc = document_from_dict(self.document, registry, source=rules.apply(anchor))
        if rules:
            rules.apply_to_document(doc)
            doc.undo_stack.clear()
        return doc


def load_registry(reference: str) -> NodeRegistry:
    """Call the `module:callable` that builds a node registry.

    Raises:
        NodecompError: the module does not import or the callable is missing.
    """
    module_name, _, attribute = reference.partition(":")
    try:
        factory = getattr(importlib.import_module(module_name), attribute or "default_registry")
    except (ImportError, AttributeError) as exc:
        raise NodecompError(f"cannot load the node registry {reference!r} on this worker ({exc})",
                            hint="install nodecomp (and the script's plugins) on every worker") from None
    return factory()
