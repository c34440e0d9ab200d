"""Tiny Stable Diffusion models with random weights, for tests, benchmarks and install checks.

A two-level UNet (32/64 channels), a four-level VAE (latents at 1/8 of the image size, as in
Stable Diffusion, so a 512x512 image denoises 64x64 latents), a two-layer CLIP text encoder and
a CLIP tokenizer over a hand-written vocabulary, saved with `save_pretrained` like any
downloaded model: a few MB on disk, and a 64x64 image in 2 steps takes a fraction of a second on
one CPU thread. The pixels mean nothing; every code path (loading, schedulers, LoRA, img2img, inpaint)
is the real one, and nothing is downloaded.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

_WORDS = ("the", "sky", "red", "sea", "hill", "fog")


def _write_vocab(folder: Path) -> tuple[Path, Path]:
    """A CLIP BPE vocabulary: every letter (alone and word-final) plus a few merged words.

    Ids must be contiguous and unique (a repeated token silently shifts every later id).
    """
    vocab: dict[str, int] = {"<|startoftext|>": 0, "<|endoftext|>": 1}
    for letter in "abcdefghijklmnopqrstuvwxyz":
        vocab[letter] = len(vocab)
        vocab[letter + "</w>"] = len(vocab)
    merges = []
    for word in _WORDS:
        merged = word[0]
        for index, letter in enumerate(word[1:], start=1):
            last = index == len(word) - 1
            piece = letter + ("</w>" if last else "")
            merges.append(f"{merged} {piece}")
            merged = merged + piece
            if merged not in vocab:
                vocab[merged] = len(vocab)
    folder.mkdir(parents=True, exist_ok=True)
    vocab_path, merges_path = folder / "vocab.json", folder / "merges.txt"
    vocab_path.write_text(json.dumps(vocab), encoding="utf-8")
    merges_path.write_text("#version: 0.2\n" + "\n".join(dict.fromkeys(merges)) + "\n", encoding="utf-8")
    return vocab_path, merges_path


def build_tiny_pipeline(folder: Path, *, seed: int = 0) -> Path:
    """Save a tiny StableDiffusionPipeline with random weights into `folder` (save_pretrained).

    Args:
        folder: where the model folder is written; its vocabulary goes into a sibling folder.
        seed: the torch seed the random weights are drawn with.

    Returns:
        `folder`.
    """
    os.environ["HF_HUB_OFFLINE"] = "1"
    import torch
    from diffusers import AutoencoderKL, DDIMScheduler, StableDiffusionPipeline, UNet2DConditionModel
    from transformers import CLIPTextConfig, CLIPTextModel, CLIPTokenizer

    vocab, merges = _write_vocab(folder.parent / (folder.name + "-vocab"))
    tokenizer = CLIPTokenizer(vocab=str(vocab), merges=str(merges), model_max_length=16)
    torch.manual_seed(seed)
    unet = UNet2DConditionModel(
        block_out_channels=(32, 64), layers_per_block=1, sample_size=8, in_channels=4, out_channels=4,
        down_block_types=("DownBlock2D", "CrossAttnDownBlock2D"), up_block_types=("CrossAttnUpBlock2D", "UpBlock2D"),
        cross_attention_dim=32, attention_head_dim=(2, 4), norm_num_groups=32,
    )
    vae = AutoencoderKL(  # four levels: latents are 1/8 of the image size, as in Stable Diffusion
        block_out_channels=(32, 32, 64, 64), in_channels=3, out_channels=3, latent_channels=4, norm_num_groups=32,
        down_block_types=("DownEncoderBlock2D",) * 4, up_block_types=("UpDecoderBlock2D",) * 4,
    )
    text_encoder = CLIPTextModel(CLIPTextConfig(
        bos_token_id=0, eos_token_id=1, pad_token_id=1, hidden_size=32, intermediate_size=37, layer_norm_eps=1e-5,
        num_attention_heads=4, num_hidden_layers=2, vocab_size=len(tokenizer), max_position_embeddings=16,
    ))
    scheduler = DDIMScheduler(beta_start=0.00085, beta_end=0.012, beta_schedule="scaled_linear", clip_sample=False,
                              set_alpha_to_one=False, steps_offset=1)
    pipeline = StableDiffusionPipeline(
        unet=unet, vae=vae, text_encoder=text_encoder, tokenizer=tokenizer, scheduler=scheduler,
        safety_checker=None, feature_extractor=None, requires_safety_checker=False,
    )
    pipeline.save_pretrained(folder)
    return folder


def build_tiny_lora(model: Path, target: Path, *, seed: int, scale: float = 0.5) -> Path:
    """A LoRA for the tiny UNet, written by diffusers' own save_lora_weights (no training).

    peft's `add_adapter` creates the adapter layers; their B matrices (zero at creation, which
    would make the adapter a no-op) are filled with seeded noise so the adapter changes images.

    Args:
        model: a tiny model folder from `build_tiny_pipeline`.
        target: the folder the LoRA file is written into.
        seed: seeds the adapter weights.
        scale: standard deviation of the adapter's B matrices.

    Returns:
        The path of the .safetensors file.
    """
    import torch
    from diffusers import StableDiffusionPipeline, UNet2DConditionModel
    from diffusers.utils import convert_state_dict_to_diffusers
    from peft import LoraConfig
    from peft.utils import get_peft_model_state_dict

    unet = UNet2DConditionModel.from_pretrained(model, subfolder="unet", local_files_only=True)
    unet.add_adapter(LoraConfig(r=4, lora_alpha=4, init_lora_weights="gaussian",
                                target_modules=["to_q", "to_k", "to_v", "to_out.0"]))
    generator = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, parameter in unet.named_parameters():
            if "lora_B" in name:
                parameter.copy_(torch.randn(parameter.shape, generator=generator) * scale)
    layers = convert_state_dict_to_diffusers(get_peft_model_state_dict(unet))
    target.mkdir(parents=True, exist_ok=True)
    StableDiffusionPipeline.save_lora_weights(target, unet_lora_layers=layers, weight_name="lora.safetensors")
    return target / "lora.safetensors"
