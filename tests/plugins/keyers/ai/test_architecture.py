import pytest

from plugins.keyers.ai.architecture import ARCHITECTURE, UNetConfig, build_model, parameter_count, save_model
from plugins.keyers.ai.models import read_safetensors_metadata

torch = pytest.importorskip("torch", reason="the AI matte needs torch (the ai extra)")


def test_output_is_one_alpha_channel_in_0_1_at_the_input_size():
    model = build_model(UNetConfig(base_channels=4, depth=2)).eval()
    with torch.no_grad():
        out = model(torch.rand(2, 3, 24, 40))
    assert out.shape == (2, 1, 24, 40)
    assert float(out.min()) >= 0.0 and float(out.max()) <= 1.0


def test_trimap_models_take_four_channels_and_the_default_size_is_small():
    model = build_model(UNetConfig(in_channels=4))
    with torch.no_grad():
        assert model(torch.rand(1, 4, 16, 16)).shape == (1, 1, 16, 16)
    assert 100_000 < parameter_count(build_model(UNetConfig())) < 150_000


def test_metadata_round_trip_and_refusals():
    config = UNetConfig(base_channels=6, depth=2, in_channels=4)
    assert UNetConfig.from_metadata(config.metadata()) == config
    with pytest.raises(ValueError, match="no architecture metadata"):
        UNetConfig.from_metadata({})
    with pytest.raises(ValueError, match="'sd15'"):
        UNetConfig.from_metadata({"architecture": "sd15"})
    with pytest.raises(ValueError, match="format version"):
        UNetConfig.from_metadata({**config.metadata(), "format_version": "9"})
    with pytest.raises(ValueError, match="incomplete or invalid"):
        UNetConfig.from_metadata({"architecture": ARCHITECTURE, "format_version": "1", "depth": "x"})
    with pytest.raises(ValueError, match="out of range"):
        UNetConfig.from_metadata({**config.metadata(), "in_channels": "7"})


def test_save_model_writes_metadata_atomically(tmp_path):
    config = UNetConfig(base_channels=4, depth=2)
    path = tmp_path / "m.safetensors"
    save_model(build_model(config), config, str(path))
    assert read_safetensors_metadata(str(path))["architecture"] == ARCHITECTURE
    assert not (tmp_path / "m.safetensors.partial").exists()
