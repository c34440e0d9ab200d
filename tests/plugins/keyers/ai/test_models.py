import os

import numpy as np
import pytest

from nodecomp.api import EvaluationError, ResourceCache
from plugins.keyers.ai import models
from plugins.keyers.ai.architecture import UNetConfig, build_model, save_model

torch = pytest.importorskip("torch", reason="the AI matte needs torch (the ai extra)")

# TorchScript and the legacy ONNX exporter are deprecated upstream but are formats users hand us.
pytestmark = [
    pytest.mark.filterwarnings("ignore:`torch.jit:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:You are using the legacy TorchScript-based ONNX export:DeprecationWarning"),
    pytest.mark.filterwarnings("ignore:The feature will be removed:DeprecationWarning"),
]


def test_missing_file_names_the_file(tmp_path):
    path = str(tmp_path / "nope.safetensors")
    with pytest.raises(EvaluationError, match="model file not found") as info:
        models.load(path)
    assert info.value.path == path


@pytest.mark.parametrize("name, content", [
    ("notes.safetensors", b"this is a text file, not a model"),
    ("weights.pt", b"\x00\x01 random bytes"),
    ("mystery.bin", b"hello"),
])
def test_a_file_that_is_not_a_model(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(EvaluationError, match="is not a model file") as info:
        models.load(str(path))
    assert info.value.path == str(path)


def test_a_safetensors_file_of_another_network_is_the_wrong_architecture(tmp_path):
    from safetensors.torch import save_file

    path = tmp_path / "other.safetensors"
    save_file({"encoder.weight": torch.zeros(3, 3)}, str(path), metadata={"architecture": "sd15"})
    with pytest.raises(EvaluationError, match="wrong architecture.*'sd15'"):
        models.load(str(path))
    plain = tmp_path / "plain.safetensors"
    save_file({"encoder.weight": torch.zeros(3, 3)}, str(plain))
    with pytest.raises(EvaluationError, match="wrong architecture.*no architecture metadata"):
        models.load(str(plain))


def test_weights_that_do_not_fit_the_declared_shape_are_the_wrong_architecture(tmp_path):
    from safetensors.torch import save_file

    config = UNetConfig(base_channels=4, depth=2)
    state = {k: v.contiguous() for k, v in build_model(UNetConfig(base_channels=6, depth=2)).state_dict().items()}
    path = tmp_path / "mismatch.safetensors"
    save_file(state, str(path), metadata=config.metadata())
    with pytest.raises(EvaluationError, match="wrong architecture: its weights do not fit"):
        models.load(str(path))


def test_safetensors_model_predicts_alpha(tmp_path):
    config = UNetConfig(base_channels=4, depth=2)
    path = tmp_path / "m.safetensors"
    save_model(build_model(config), config, str(path))
    model = models.load(str(path))
    assert (model.kind, model.in_channels, model.multiple, model.device) == ("safetensors", 3, 4, "cpu")
    out = model.predict(np.zeros((16, 12, 3), np.float32))
    assert out.shape == (16, 12) and out.dtype == np.float32 and 0 <= out.min() <= out.max() <= 1


def test_torchscript_model_and_its_refusals(tmp_path):
    net = build_model(UNetConfig(base_channels=4, depth=2)).eval()
    path = tmp_path / "m.pt"
    torch.jit.save(torch.jit.trace(net, torch.zeros(1, 3, 32, 32)), str(path))
    model = models.load(str(path))
    assert model.kind == "torchscript" and model.in_channels == 3
    assert model.predict(np.zeros((32, 32, 3), np.float32)).shape == (32, 32)

    class Features(torch.nn.Module):
        def forward(self, x):
            return x * 2  # three channels out: not an alpha

    wrong = tmp_path / "features.pt"
    torch.jit.save(torch.jit.trace(Features(), torch.zeros(1, 3, 32, 32)), str(wrong))
    with pytest.raises(EvaluationError, match="wrong architecture: the model maps"):
        models.load(str(wrong))


def test_cuda_is_refused_without_a_gpu():
    if torch.cuda.is_available():
        pytest.skip("a CUDA GPU is present")
    with pytest.raises(EvaluationError, match="no CUDA GPU"):
        models.resolve_device("cuda")
    assert models.resolve_device("auto") == "cpu"


def test_onnx_without_onnxruntime_or_with_a_bad_file(tmp_path):
    path = tmp_path / "m.onnx"
    path.write_bytes(b"not protobuf")
    with pytest.raises(EvaluationError, match="onnxruntime is not installed|is not a model file"):
        models.load(str(path))


def test_cache_loads_once_per_file_version_and_respects_the_budget(tmp_path):
    config = UNetConfig(base_channels=4, depth=2)
    first, second = tmp_path / "a.safetensors", tmp_path / "b.safetensors"
    for path in (first, second):
        save_model(build_model(config), config, str(path))
    cache = ResourceCache(budget_bytes=10**9, max_entries=4)
    a1 = models.cached(str(first), cache=cache)
    assert models.cached(str(first), cache=cache) is a1
    assert cache.stats().loads == 1 and cache.stats().bytes == a1.nbytes
    stat = os.stat(first)
    os.utime(first, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # re-exported: a new fingerprint
    assert models.cached(str(first), cache=cache) is not a1
    small = ResourceCache(budget_bytes=a1.nbytes, max_entries=4)
    models.cached(str(first), cache=small)
    models.cached(str(second), cache=small)
    assert small.stats().entries == 1 and small.stats().releases == 1
    with pytest.raises(EvaluationError, match="model file not found"):
        models.cached(str(tmp_path / "gone.safetensors"), cache=cache)


def test_onnx_model_matches_torch(tmp_path):
    pytest.importorskip("onnxruntime", reason="onnxruntime is an optional dependency (the ai extra)")
    pytest.importorskip("onnx", reason="exporting to ONNX from torch needs the onnx package")
    net = build_model(UNetConfig(base_channels=4, depth=2)).eval()
    path = tmp_path / "m.onnx"
    torch.onnx.export(net, torch.zeros(1, 3, 32, 32), str(path), dynamo=False, input_names=["image"],
                      output_names=["alpha"], dynamic_axes={"image": {2: "h", 3: "w"}, "alpha": {2: "h", 3: "w"}})
    model = models.load(str(path))
    assert (model.kind, model.in_channels, model.multiple) == ("onnx", 3, 32)
    tile = np.random.default_rng(0).random((64, 32, 3), dtype=np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(tile.transpose(2, 0, 1).copy())[None])[0, 0].numpy()
    np.testing.assert_allclose(model.predict(tile), expected, atol=1e-5)


def test_an_onnx_model_with_the_wrong_input_is_the_wrong_architecture(tmp_path):
    pytest.importorskip("onnxruntime", reason="onnxruntime is an optional dependency (the ai extra)")
    pytest.importorskip("onnx", reason="exporting to ONNX from torch needs the onnx package")

    class Vector(torch.nn.Module):
        def forward(self, x):
            return x * 2

    path = tmp_path / "vector.onnx"
    torch.onnx.export(Vector(), torch.zeros(1, 10), str(path), dynamo=False)
    with pytest.raises(EvaluationError, match="wrong architecture: the ONNX model takes"):
        models.load(str(path))
