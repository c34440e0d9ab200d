"""Helpers a node author's tests use: build a graph, render a frame, compare images with tolerances.

```python
from nodecomp.testing import assert_images_close, render_node

result = render_node(MyGain, source=pixels, gain=2.0)
assert_images_close(result, pixels * 2, atol=1e-6, out_dir=tmp_path)
```

On a failed comparison the actual, expected and |difference| images are written as EXRs into
`out_dir` (pytest's `tmp_path`), and the message names the worst pixel and the files.

It is also a pytest plugin (installed as the `pytest11` entry point `nodecomp.testing`, or
enabled with `pytest_plugins = ["nodecomp.testing"]` in a conftest) with two fixtures:
`nc_document` (an empty document of 64x48 pixels knowing the built-in nodes) and `nc_compare`
(`assert_images_close` writing its failure images into the test's `tmp_path`).
"""

from __future__ import annotations

import functools
import os
import threading
import uuid
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from nodecomp.api import RGB, RGBA, Box, EvalContext, Image, NodeType, Plugin, Request, String
from nodecomp.core.document import Document
from nodecomp.core.errors import PluginError
from nodecomp.core.fileformat import document_from_dict, document_to_dict
from nodecomp.core.format import Format
from nodecomp.core.node import Node
from nodecomp.core.registry import NodeRegistry

try:
    import pytest
except ImportError:  # the helpers work without pytest; only the fixtures need it
    pytest = None  # type: ignore[assignment]

DEFAULT_SIZE = (64, 48)

_images: dict[str, Image] = {}
_images_lock = threading.Lock()


class Source(NodeType):
    """An image handed over by a test, so the node under test gets exactly the pixels it should."""

    type_id = "testing.Source"
    category = "Testing"
    params = (String("key", doc="Which image given to `nodecomp.testing.source()` this node returns."),)

    @staticmethod
    def compute(ctx: EvalContext, key: str) -> Image:
        """Return the registered image."""
        with _images_lock:
            found = _images.get(key)
        if found is None:
            raise ctx.error(f"no test image registered under {key!r}", hint="create the node with testing.source()")
        return found


# ------------------------------------------------------------------- building
def make_registry(*node_types: type[NodeType], plugins: Iterable[Plugin] = ()) -> NodeRegistry:
    """A registry with the built-in nodes, `testing.Source`, `plugins` and `node_types`.

    Raises:
        PluginError: a plugin or node type is invalid (every problem listed), as it would be
            reported when the application loads it.
    """
    from nodecomp.nodes import plugin as builtins
    from nodecomp.plugin_loader import LoadReport, register_plugin

    registry = NodeRegistry()
    report = LoadReport()
    plugins = tuple(p for p in plugins if p is not builtins)
    included = {t for p in (builtins, *plugins) for t in getattr(p, "node_types", ())}
    extra = Plugin(name="tested node types", node_types=tuple(t for t in node_types if t not in included))
    testing = Plugin(name="nodecomp-testing", node_types=(Source,))
    for plugin in (builtins, testing, *plugins, extra):
        register_plugin(registry, plugin, report, getattr(plugin, "name", "plugin"))
    if report.errors:
        raise report.errors[0]
    return registry


def make_document(
    *node_types: type[NodeType],
    plugins: Iterable[Plugin] = (),
    size: tuple[int, int] = DEFAULT_SIZE,
    frames: tuple[int, int] = (1, 1),
    registry: NodeRegistry | None = None,
) -> Document:
    """An empty document knowing the built-in nodes plus the given ones (and `testing.Source`).

    Args:
        *node_types: node types under test.
        plugins: whole plugins under test (their `node_types` are registered as the app would).
        size: the document format (width, height); small, so tests stay fast.
        frames: the frame range.
        registry: use this registry instead (it should contain `testing.Source` for `source()`).
    """
    doc = Document(registry or make_registry(*node_types, plugins=plugins), name="test")
    doc.format = Format(int(size[0]), int(size[1]))
    doc.frame_range = frames
    return doc


def image(
    pixels: Any,
    channels: Iterable[str] | None = None,
    *,
    x: int = 0,
    y: int = 0,
    display_window: Box | None = None,
    colorspace: str = "",
) -> Image:
    """An Image from an (height, width, channels) array.

    Args:
        pixels: the array (copied to float32); a 2-D array is one channel.
        channels: channel names; by default RGB for 3 channels, RGBA for 4, else required.
        x, y: position of the top-left pixel (the data window's origin).
        display_window: the format; by default the data window.
        colorspace: colour-space tag.
    """
    array = np.array(pixels, dtype=np.float32)
    if array.ndim == 2:
        array = array[..., None]
    if channels is None:
        defaults = {3: RGB, 4: RGBA}
        if array.shape[-1] not in defaults:
            raise ValueError(f"name the channels of a {array.shape[-1]}-channel array (channels=...)")
        channels = defaults[array.shape[-1]]
    window = Box.from_size(array.shape[1], array.shape[0], x, y)
    return Image(array, tuple(channels), window, display_window or window, colorspace=colorspace)


def source(doc: Document, pixels: Any, *, name: str | None = None, channels: Iterable[str] | None = None) -> Node:
    """Add a `testing.Source` node producing `pixels` (an Image or an array, see `image()`)."""
    picture = pixels if isinstance(pixels, Image) else image(pixels, channels)
    key = uuid.uuid4().hex
    with _images_lock:
        _images[key] = picture.freeze()
    return doc.add(Source.type_id, key=key, name=name)


def render_frame(doc: Document, node: Node | str, frame: float = 1.0, *, region: Box | None = None,
                 scale: float = 1.0) -> Image:
    """Evaluate `node` at `frame` with a fresh cache; the result has numpy pixels.

    `region` (full-resolution pixels) and `scale` (1/n) make it a region-of-interest or proxy
    render, as the app's viewer asks for (docs/architecture.md, "Requests").
    """
    from nodecomp.engine import devices
    from nodecomp.engine.evaluator import Evaluator

    return devices.to_numpy(Evaluator(doc).evaluate(node, Request(float(frame), region, scale)))


def check_request_contract(doc: Document, node: Node | str, region: Box, *, frame: float = 1.0,
                           scale: float = 0.5, atol: float = 1e-5) -> None:
    """Assert that `node` keeps the request contract on this graph (for types that opt in).

    A render for `region` must give the whole render's pixels there (within `atol`) and a data
    window inside the region; a render at `scale` must have the whole render's display window
    reduced, and a data window within one proxy pixel of its data window reduced.
    """
    from nodecomp.engine.image import conform

    whole = render_frame(doc, node, frame)
    part = render_frame(doc, node, frame, region=region)
    window = part.data_window
    if window.intersect(region) != window:
        raise AssertionError(f"the region render's data window {window} is not inside the region {region}")
    assert_images_close(conform(part, region, whole.channels), conform(whole, region), atol=atol)
    proxy = render_frame(doc, node, frame, scale=scale)
    step = round(1.0 / scale)
    if proxy.display_window != whole.display_window.reduced(step):
        raise AssertionError(f"at scale 1/{step} the display window is {proxy.display_window}, "
                             f"not {whole.display_window.reduced(step)}")
    expected = whole.data_window.reduced(step)
    if max(abs(a - b) for a, b in zip(proxy.data_window.as_tuple(), expected.as_tuple(), strict=True)) > 1:
        raise AssertionError(f"at scale 1/{step} the data window is {proxy.data_window}, not about {expected}")


def render_node(
    node_type: type[NodeType] | str,
    /,
    *,
    frame: float = 1.0,
    format_size: tuple[int, int] | None = None,
    plugins: Iterable[Plugin] = (),
    **values: Any,
) -> Image:
    """Render one node whose inputs are arrays or Images: the shortest node test.

    Args:
        node_type: the class under test, or the name of a registered type (`"Grade"`).
        frame: the frame rendered.
        format_size: the document format (width, height), for nodes without inputs. `size=`
            still means this for node types without a `size` param (older tests); for a Blur,
            a Median or any node with a `size` param it is that param.
        plugins: plugins whose other node types the node needs.
        **values: input images by input name (arrays or Images; None leaves it unconnected)
            and params by name.
    """
    extra = (node_type,) if isinstance(node_type, type) else ()
    registry = make_registry(*extra, plugins=plugins)
    resolved = registry.resolve(node_type.type_id if isinstance(node_type, type) else node_type)
    if format_size is None and "size" in values and resolved.param_spec("size") is None:
        format_size = values.pop("size")
    doc = make_document(size=format_size or DEFAULT_SIZE, registry=registry)
    inputs: list[Node | None] = []
    for spec in resolved.inputs:
        value = values.pop(spec.name, None)
        inputs.append(None if value is None else source(doc, value, name=f"{spec.name}_source"))
    node = doc.add(resolved.type_id, *inputs, **values)
    return render_frame(doc, node, frame)


# ------------------------------------------------------------------ comparing
def _write_exr(path: Path, pixels: np.ndarray, channels: tuple[str, ...] | None = None) -> None:
    import OpenImageIO as oiio

    array = np.ascontiguousarray(np.nan_to_num(pixels, nan=-1.0, posinf=1e9, neginf=-1e9), dtype=np.float32)
    if array.ndim == 2:
        array = array[..., None]
    spec = oiio.ImageSpec(array.shape[1], array.shape[0], array.shape[2], "float")
    if channels is not None and len(channels) == array.shape[2]:
        spec.channelnames = channels
    out = oiio.ImageOutput.create(str(path))
    if out is None or not out.open(str(path), spec) or not out.write_image(array):
        raise OSError(f"cannot write {path}: {oiio.geterror()}")
    out.close()


def _pixels(value: Image | Any) -> tuple[np.ndarray, tuple[str, ...] | None]:
    if isinstance(value, Image):
        from nodecomp.engine import devices

        return np.asarray(devices.to_numpy(value).pixels), value.channels
    return np.asarray(value), None


def assert_images_close(
    actual: Image | Any,
    expected: Image | Any,
    *,
    atol: float = 1e-5,
    rtol: float = 0.0,
    out_dir: str | os.PathLike[str] | None = None,
    name: str = "image",
) -> None:
    """Assert two images (Images or arrays) match within `atol + rtol * |expected|` per value.

    Images must also agree on channels and data window. On failure, when `out_dir` is given,
    `<name>.actual.exr`, `<name>.expected.exr` and `<name>.diff.exr` (|actual - expected|) are
    written there, so the difference can be looked at in any viewer.

    Raises:
        AssertionError: naming the worst value (pixel, channel, both values) and how many differ.
    """
    problems = []
    if isinstance(actual, Image) and isinstance(expected, Image):
        if actual.channels != expected.channels:
            problems.append(f"channels differ: {actual.channels} != {expected.channels}")
        if actual.data_window != expected.data_window:
            problems.append(f"data windows differ: {actual.data_window} != {expected.data_window}")
    got, channels = _pixels(actual)
    want, want_channels = _pixels(expected)
    channels = channels or want_channels
    if got.shape != want.shape:
        raise AssertionError("; ".join([*problems, f"shapes differ: {got.shape} != {want.shape}"]))
    diff = np.abs(got.astype(np.float64) - want.astype(np.float64))
    bad = ~(diff <= atol + rtol * np.abs(want.astype(np.float64)))
    bad &= ~(np.isnan(got) & np.isnan(want))
    if bad.any():
        worst = np.unravel_index(int(np.argmax(np.where(bad, np.nan_to_num(diff, nan=np.inf), -1.0))), bad.shape)
        where = f"pixel (x={worst[1]}, y={worst[0]})" if len(worst) >= 2 else f"index {worst}"
        channel = ""
        if len(worst) == 3:
            channel = f" channel {channels[worst[2]] if channels else worst[2]}"
        problems.append(
            f"{int(bad.sum())} of {bad.size} values differ by more than atol={atol:g} + rtol={rtol:g}; worst at "
            f"{where}{channel}: {float(got[worst]):.7g} != {float(want[worst]):.7g}"
        )
    if not problems:
        return
    if out_dir is not None and got.size and got.ndim in (2, 3):
        folder = Path(out_dir)
        folder.mkdir(parents=True, exist_ok=True)
        _write_exr(folder / f"{name}.actual.exr", got, channels)
        _write_exr(folder / f"{name}.expected.exr", want, channels)
        _write_exr(folder / f"{name}.diff.exr", diff, channels)
        problems.append(f"images written to {folder / name}.{{actual,expected,diff}}.exr")
    raise AssertionError("; ".join(problems))


# ------------------------------------------------------------------- plugins
def plugin_problems(plugin: Plugin) -> list[str]:
    """What the application would refuse or a user would miss in `plugin`, as a list.

    Checks: it registers next to the built-ins (valid schemas, no duplicate type ids, a
    supported API), every node type and param is documented, every type builds at its defaults
    and round-trips through the `.ncomp` format with its params intact.
    """
    try:
        registry = make_registry(plugins=(plugin,))
    except PluginError as exc:
        return [str(exc)]
    problems = []
    for node_type in getattr(plugin, "node_types", ()):
        label = node_type.type_id
        if not (node_type.__doc__ or "").strip():
            problems.append(f"{label}: the class has no docstring (it is the node's help text)")
        problems.extend(f"{label}: param {spec.name!r} has no doc" for spec in node_type.params if not spec.doc)
        doc = Document(registry)
        node = doc.add(node_type.type_id)
        for spec in node_type.params:
            if spec.animatable:
                node.set_key(spec.name, 1, spec.default, interp="linear")
                break
        copy = document_from_dict(document_to_dict(doc), registry)
        if _param_data(copy[node.name]) != _param_data(node):
            problems.append(f"{label}: params change when saved and loaded again")
    return problems


def _param_data(node: Node) -> Mapping[str, Any]:
    from nodecomp.core.fileformat import node_to_dict

    return node_to_dict(node)["params"]


def check_plugin(plugin: Plugin) -> None:
    """Assert `plugin_problems(plugin)` is empty (one test covers a whole plugin)."""
    problems = plugin_problems(plugin)
    if problems:
        raise AssertionError(f"plugin {getattr(plugin, 'name', plugin)!r}: " + "; ".join(problems))


# -------------------------------------------------------------- pytest plugin
if pytest is not None:

    @pytest.fixture
    def nc_document() -> Document:
        """An empty 64x48 document knowing the built-in nodes and `testing.Source`."""
        return make_document()

    @pytest.fixture
    def nc_compare(tmp_path: Path) -> Any:
        """`assert_images_close` that writes failure images into this test's `tmp_path`."""
        return functools.partial(assert_images_close, out_dir=tmp_path)


__all__ = [
    "DEFAULT_SIZE",
    "Source",
    "assert_images_close",
    "check_plugin",
    "check_request_contract",
    "image",
    "make_document",
    "make_registry",
    "plugin_problems",
    "render_frame",
    "render_node",
    "source",
]
