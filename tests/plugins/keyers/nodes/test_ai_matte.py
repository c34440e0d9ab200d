"""AIMatte in graphs: loading each model format, tiles, trimaps, smoothing, cache, cancel, errors."""

import os
import shutil

import numpy as np
import pytest

import nodecomp as nc
from nodecomp.api import RGBA, Box, CancelledError, EvaluationError, Image, NodeType, resources
from nodecomp.core.registry import NodeRegistry
from nodecomp.engine.context import CancelToken
from nodecomp.engine.evaluator import Evaluator
from nodecomp.nodes import NODE_TYPES
from plugins.keyers import plugin
from plugins.keyers.ai.encoding import encode_rgb
from tests.nodes.image_asserts import ImageSource
from tests.plugins.keyers.helpers import evaluate, image, keyer_document, plate_node, rgba, source

torch = pytest.importorskip("torch", reason="the AI matte needs torch (the ai extra)")

# TorchScript and the legacy ONNX exporter are deprecated upstream but are formats users hand us.
pytestmark = [
    pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The feature will be removed:DeprecationWarning"),
]


class MeanModel(torch.nn.Module):
    """A stand-in network whose alpha is the mean of its RGB input: easy to predict exactly."""

    def forward(self, x):
        return x[:, :3].mean(dim=1, keepdim=True)


class TrimapModel(torch.nn.Module):
    """A stand-in 4-channel network that returns its trimap channel."""

    def forward(self, x):
        return x[:, 3:4] * 1.0


class FrameGrey(NodeType):
    """Test source: a grey of value frame / 10 (so consecutive frames differ)."""

    type_id = "test.FrameGrey"
    category = "Test"
    frame_dependent = True

    @staticmethod
    def compute(ctx):
        return Image(np.full((8, 8, 4), (ctx.frame / 10, ctx.frame / 10, ctx.frame / 10, 1.0), np.float32), RGBA,
                     Box(0, 0, 8, 8))


def _torchscript(module, path, channels=3):
    torch.jit.save(torch.jit.trace(module, torch.zeros(1, channels, 32, 32)), str(path))
    return str(path)


@pytest.fixture
def mean_model(tmp_path):
    return _torchscript(MeanModel(), tmp_path / "mean.pt")


def test_trained_safetensors_model_runs_through_the_node(even_shot, tiny_model):
    doc = keyer_document()
    node = doc.add("AIMatte", plate_node(doc, even_shot), model=tiny_model.path, tile_size=128, overlap=16)
    result, _ = evaluate(doc, node)
    assert result.channels == RGBA and result.pixels.shape == even_shot.plate.shape[:2] + (4,)
    alpha = result.pixels[..., 3]
    assert 0.0 <= alpha.min() <= alpha.max() <= 1.0
    np.testing.assert_allclose(result.pixels[..., :3], even_shot.plate * alpha[..., None], rtol=1e-5, atol=1e-6)


def test_torchscript_model_tiled_matches_the_formula(even_shot, mean_model):
    doc = keyer_document()
    node = doc.add("AIMatte", plate_node(doc, even_shot), model=mean_model, tile_size=96, overlap=24, output="matte")
    result, _ = evaluate(doc, node)
    np.testing.assert_allclose(result.pixels[..., 3], encode_rgb(even_shot.plate).mean(-1), atol=1e-5)
    np.testing.assert_array_equal(result.pixels[..., 0], result.pixels[..., 3])


def test_trimap_forces_known_areas_and_feeds_four_channel_models(tmp_path, mean_model):
    doc = keyer_document()
    plate = source(doc, image(rgba(np.full((16, 16, 3), 0.25, np.float32))))
    trimap = np.full((16, 16, 1), 0.5, np.float32)
    trimap[:4], trimap[-4:] = 0.0, 1.0
    tri = source(doc, image(trimap, channels=("A",)))
    result, _ = evaluate(doc, doc.add("AIMatte", plate, tri, model=mean_model))
    alpha = result.pixels[..., 3]
    assert not alpha[:4].any() and np.all(alpha[-4:] == 1.0)
    assert alpha[8, 8] == pytest.approx(0.25 ** (1 / 2.2), abs=1e-5)
    four = _torchscript(TrimapModel(), tmp_path / "tri.pt", channels=4)
    result, _ = evaluate(doc, doc.add("AIMatte", plate, tri, model=four))
    assert result.pixels[8, 8, 3] == pytest.approx(0.5)
    with pytest.raises(EvaluationError, match="AIMatte3.*takes a trimap and none is connected"):
        evaluate(doc, doc.add("AIMatte", plate, model=four))


def test_temporal_smoothing_blends_with_the_previous_frame(mean_model):
    doc = nc.Document(NodeRegistry([*NODE_TYPES, ImageSource, FrameGrey, *plugin.node_types]))
    grey = doc.add("FrameGrey")
    node = doc.add("AIMatte", grey, model=mean_model, temporal_smoothing=0.5, output="matte")
    result, _ = evaluate(doc, node, frame=5)
    expected = 0.5 * 0.5 ** (1 / 2.2) + 0.5 * 0.4 ** (1 / 2.2)
    np.testing.assert_allclose(result.pixels[..., 3], expected, atol=1e-5)


def test_one_file_is_loaded_once_and_a_new_version_is_reloaded(even_shot, mean_model, tmp_path):
    path = str(shutil.copy(mean_model, tmp_path / "shared.pt"))
    doc = keyer_document()
    plate = plate_node(doc, even_shot)
    first, second = doc.add("AIMatte", plate, model=path), doc.add("AIMatte", plate, model=path, output="matte")
    before = resources.stats().loads
    evaluator = Evaluator(doc)
    evaluator.evaluate(first, 1)
    evaluator.evaluate(second, 1)
    assert resources.stats().loads == before + 1
    key = evaluator.hash(first, 1)
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    assert Evaluator(doc).hash(first, 1) != key  # the file's fingerprint is in the image cache key
    Evaluator(doc).evaluate(first, 1)
    assert resources.stats().loads == before + 2


def test_cancel_takes_effect_between_tiles(even_shot, mean_model):
    doc = keyer_document()
    node = doc.add("AIMatte", plate_node(doc, even_shot), model=mean_model, tile_size=64, overlap=0)
    token, seen = CancelToken(), []

    def progress(name, frame, fraction, message):
        seen.append(message)
        token.cancel()

    with pytest.raises(CancelledError):
        Evaluator(doc, cancel=token, progress=progress).evaluate(node, 1)
    assert seen == ["tile 1/40"]


def test_file_errors_name_node_frame_and_file(even_shot, tmp_path):
    doc = keyer_document()
    plate = plate_node(doc, even_shot)
    missing = str(tmp_path / "missing.safetensors")
    with pytest.raises(EvaluationError, match=rf"node AIMatte1, frame 1, file {missing}: model file not found"):
        evaluate(doc, doc.add("AIMatte", plate, model=missing))
    junk = tmp_path / "junk.pt"
    junk.write_text("not a model")
    with pytest.raises(EvaluationError, match=r"node AIMatte2, frame 1, file .*junk.pt: is not a model file"):
        evaluate(doc, doc.add("AIMatte", plate, model=str(junk)))
    with pytest.raises(EvaluationError, match="AIMatte3.*no model file is set"):
        evaluate(doc, doc.add("AIMatte", plate))
