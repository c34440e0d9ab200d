import json

from plugins.generators.model_folder import inspect_model


def test_the_tiny_model_is_a_complete_diffusers_folder(tiny_model):
    source = inspect_model(str(tiny_model))
    assert source.pipeline_class == "StableDiffusionPipeline"
    assert sum(1 for f in source.files if f.endswith(".safetensors")) == 3
    vae = json.loads((tiny_model / "vae" / "config.json").read_text())
    assert len(vae["block_out_channels"]) == 4  # latents at 1/8 of the image, as in SD


def test_its_tokenizer_knows_whole_words(tiny_model):
    from transformers import CLIPTokenizer

    tokenizer = CLIPTokenizer.from_pretrained(tiny_model / "tokenizer", local_files_only=True)
    ids = tokenizer("the red sky").input_ids
    assert len(ids) == 5  # start, three words, end
    assert tokenizer.decode(ids[1:-1]) == "the red sky"


def test_a_lora_file_is_written(tiny_loras):
    assert all(path.suffix == ".safetensors" and path.stat().st_size > 1000 for path in tiny_loras)
