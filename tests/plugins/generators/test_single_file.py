"""Single-file checkpoints: architecture detection, shipped configs, tokenizers, and a real load."""

import shutil

import numpy as np
import pytest

from nodecomp.api import EvaluationError
from nodecomp.testing import render_frame
from plugins.generators import single_file
from plugins.generators.model_folder import inspect_model
from tests.plugins.generators.helpers import add_text2image, generator_document


def _checkpoint(path, names, conv_in_channels=4):
    from safetensors.numpy import save_file

    tensors = {name: np.zeros((1,), np.float16) for name in names}
    tensors["model.diffusion_model.input_blocks.0.0.weight"] = np.zeros((2, conv_in_channels, 1, 1), np.float16)
    save_file(tensors, str(path))
    return str(path)


SD15 = ["cond_stage_model.transformer.text_model.embeddings.token_embedding.weight"]
SDXL = ["conditioner.embedders.0.transformer.text_model.embeddings.token_embedding.weight",
        "conditioner.embedders.1.model.token_embedding.weight"]


def test_the_architecture_comes_from_tensor_names(tmp_path):
    assert single_file.architecture(_checkpoint(tmp_path / "a.safetensors", SD15)) == "sd15"
    assert single_file.architecture(_checkpoint(tmp_path / "b.safetensors", SDXL)) == "sdxl"


@pytest.mark.parametrize(
    ("names", "channels", "reason"),
    [
        (["cond_stage_model.model.token_embedding.weight"], 4, "SD 2.x or SDXL refiner"),
        (SD15, 9, "inpainting or other 9-channel"),
        (["something.else"], 4, "unknown architecture"),
    ],
)
def test_unsupported_checkpoints_are_named(tmp_path, names, channels, reason):
    path = _checkpoint(tmp_path / "x.safetensors", names, channels)
    with pytest.raises(EvaluationError, match=reason) as caught:
        single_file.architecture(path)
    assert caught.value.path == path


def test_loras_and_other_files_are_told_apart(tmp_path):
    from safetensors.numpy import save_file

    lora = tmp_path / "style.safetensors"
    save_file({"unet.down.lora_A.weight": np.zeros((1,), np.float32)}, str(lora))
    with pytest.raises(EvaluationError, match="is a LoRA"):
        single_file.architecture(str(lora))
    junk = tmp_path / "junk.safetensors"
    junk.write_bytes(b"\xff" * 64)
    with pytest.raises(EvaluationError, match="is not a safetensors checkpoint"):
        single_file.architecture(str(junk))
    pickle = tmp_path / "old.ckpt"
    pickle.write_bytes(b"\x80\x04")
    with pytest.raises(EvaluationError, match="pickled .ckpt"):
        inspect_model(str(pickle))


def test_a_missing_tokenizer_vocabulary_says_where_to_put_it(tmp_path):
    path = _checkpoint(tmp_path / "model.safetensors", SD15)
    with pytest.raises(EvaluationError, match="CLIP tokenizer vocabulary") as caught:
        single_file.plan(path)
    assert caught.value.path == str(tmp_path / "tokenizer")
    assert "vocab.json and merges.txt" in str(caught.value)


def test_the_shipped_configs_describe_sd15_and_sdxl():
    """Built without memory (meta tensors): the parameter counts of the published models."""
    pytest.importorskip("accelerate")
    from accelerate import init_empty_weights
    from diffusers import AutoencoderKL, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTextModelWithProjection

    def count(module):
        return sum(p.numel() for p in module.parameters())

    expected = {"sd15": 859_520_964, "sdxl": 2_567_463_684}
    with init_empty_weights():
        for arch, folder in single_file.CONFIGS.items():
            unet = UNet2DConditionModel.from_config(UNet2DConditionModel.load_config(folder, subfolder="unet"))
            assert count(unet) == expected[arch]
            vae = AutoencoderKL.from_config(AutoencoderKL.load_config(folder, subfolder="vae"))
            assert count(vae) == 83_653_863
            text = CLIPTextModel(CLIPTextConfig.from_pretrained(folder, subfolder="text_encoder"))
            assert count(text) == 123_060_480
        big_g = CLIPTextModelWithProjection(
            CLIPTextConfig.from_pretrained(single_file.CONFIGS["sdxl"], subfolder="text_encoder_2"))
        assert count(big_g) == 694_659_840


def test_a_single_file_checkpoint_renders_like_its_model_folder(tiny_model, tmp_path, monkeypatch):
    """The tiny model written as an LDM checkpoint, its configs standing in for the shipped SD 1.x ones."""
    from tests.plugins.generators.ldm_checkpoint import write_ldm_checkpoint

    config = tmp_path / "config"
    shutil.copytree(tiny_model, config, ignore=shutil.ignore_patterns("*.safetensors", "tokenizer*"))
    monkeypatch.setitem(single_file.CONFIGS, "sd15", str(config))
    shots = tmp_path / "shots"
    shots.mkdir()
    checkpoint = write_ldm_checkpoint(tiny_model, shots / "tiny.safetensors")
    shutil.copytree(tiny_model / "tokenizer", shots / "tokenizer")  # the vocabulary next to the checkpoint
    source = inspect_model(str(checkpoint))
    assert source.kind == "single_file"
    assert str(shots / "tokenizer" / "tokenizer.json") in source.files
    doc = generator_document()
    from_file = render_frame(doc, add_text2image(doc, checkpoint, seed=31))
    from_folder = render_frame(doc, add_text2image(doc, tiny_model, seed=31))
    np.testing.assert_array_equal(from_file.pixels, from_folder.pixels)
