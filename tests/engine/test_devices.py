import numpy as np
import pytest

from nodecomp.core.errors import EvaluationError
from nodecomp.core.nodetype import Device
from nodecomp.engine import devices
from nodecomp.engine.image import Box, Image


def _image():
    return Image.blank(Box(0, 0, 4, 3), value=(0.1, 0.2, 0.3, 1.0)).freeze()


def test_cpu_images_stay_put_for_cpu_and_any_nodes():
    image = _image()
    assert devices.place(image, Device.CPU) is image
    assert devices.place(image, Device.ANY) is image


def test_cuda_node_without_cuda_is_a_clear_error(monkeypatch):
    monkeypatch.setattr(devices, "cuda_available", lambda: False)
    with pytest.raises(EvaluationError, match="node Gen1, frame 4: this node needs a CUDA GPU"):
        devices.place(_image(), Device.CUDA, node="Gen1", frame=4)


def test_torch_tensor_goes_back_to_numpy_for_cpu_nodes():
    torch = pytest.importorskip("torch")
    tensor_image = _image().with_pixels(torch.ones((3, 4, 4), dtype=torch.float32))
    before = devices.transfer_stats()
    result = devices.place(tensor_image, Device.CPU)
    assert isinstance(result.pixels, np.ndarray) and result.pixels.dtype == np.float32
    assert not result.pixels.flags.writeable
    assert devices.transfer_stats().to_cpu == before.to_cpu  # a CPU tensor is no device transfer
    assert devices.place(tensor_image, Device.ANY) is tensor_image
    assert tensor_image.device == "cpu" and tensor_image.nbytes == 3 * 4 * 4 * 4


def test_cuda_round_trip_counts_transfers():
    if not devices.cuda_available():
        pytest.skip("no CUDA device on this machine")
    on_gpu = devices.place(_image(), Device.CUDA)
    assert on_gpu.device == "cuda"
    back = devices.place(on_gpu, Device.CPU)
    stats = devices.transfer_stats()
    assert stats.to_gpu >= 1 and stats.to_cpu >= 1
    np.testing.assert_allclose(back.pixels, _image().pixels)


def test_is_tensor_does_not_import_torch():
    assert not devices.is_tensor(np.zeros(1))
