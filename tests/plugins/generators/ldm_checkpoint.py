"""Write a diffusers model folder as an original-layout (LDM) single-file checkpoint, for tests.

The mapping follows diffusers' `scripts/convert_diffusers_to_original_stable_diffusion.py`,
generalised from SD's fixed four blocks of two layers to any block count and layers per block
(read from the configs), so the tiny test model can be written as a single file. SD 1.x layout.
"""

from __future__ import annotations

import json
from pathlib import Path

_UNET_TOP = {
    "time_embedding.linear_1.": "time_embed.0.",
    "time_embedding.linear_2.": "time_embed.2.",
    "conv_in.": "input_blocks.0.0.",
    "conv_norm_out.": "out.0.",
    "conv_out.": "out.2.",
}
_UNET_RESNET = (("norm1", "in_layers.0"), ("conv1", "in_layers.2"), ("norm2", "out_layers.0"),
                ("conv2", "out_layers.3"), ("time_emb_proj", "emb_layers.1"), ("conv_shortcut", "skip_connection"))
_VAE_ATTENTION = (("group_norm.", "norm."), ("to_q.", "q."), ("to_k.", "k."), ("to_v.", "v."),
                  ("to_out.0.", "proj_out."))


def _unet_prefixes(config: dict) -> list[tuple[str, str]]:
    blocks, layers = len(config["block_out_channels"]), config["layers_per_block"]
    pairs = [("mid_block.attentions.0.", "middle_block.1.")]
    pairs += [(f"mid_block.resnets.{j}.", f"middle_block.{2 * j}.") for j in range(2)]
    for i in range(blocks):
        for j in range(layers):
            pairs.append((f"down_blocks.{i}.resnets.{j}.", f"input_blocks.{(layers + 1) * i + j + 1}.0."))
            pairs.append((f"down_blocks.{i}.attentions.{j}.", f"input_blocks.{(layers + 1) * i + j + 1}.1."))
        for j in range(layers + 1):
            pairs.append((f"up_blocks.{i}.resnets.{j}.", f"output_blocks.{(layers + 1) * i + j}.0."))
            pairs.append((f"up_blocks.{i}.attentions.{j}.", f"output_blocks.{(layers + 1) * i + j}.1."))
        if i < blocks - 1:
            pairs.append((f"down_blocks.{i}.downsamplers.0.conv.", f"input_blocks.{(layers + 1) * (i + 1)}.0.op."))
            has_attention = "CrossAttn" in config["up_block_types"][i]
            pairs.append((f"up_blocks.{i}.upsamplers.0.",
                          f"output_blocks.{(layers + 1) * i + layers}.{2 if has_attention else 1}."))
    return pairs


def _unet(state: dict, config: dict) -> dict:
    out = {}
    prefixes = _unet_prefixes(config)
    for key, value in state.items():
        new = key
        for hf, sd in _UNET_TOP.items():
            if new.startswith(hf):
                new = sd + new[len(hf):]
        if "resnets" in key:
            for hf, sd in _UNET_RESNET:
                new = new.replace(f".{hf}.", f".{sd}.")
        for hf, sd in prefixes:
            if new.startswith(hf):
                new = sd + new[len(hf):]
                break
        out["model.diffusion_model." + new] = value
    return out


def _vae(state: dict, config: dict) -> dict:
    blocks, layers = len(config["block_out_channels"]), config["layers_per_block"]
    pairs = [("mid_block.attentions.0.", "mid.attn_1."), ("conv_norm_out.", "norm_out.")]
    pairs += [(f"mid_block.resnets.{j}.", f"mid.block_{j + 1}.") for j in range(2)]
    for i in range(blocks):
        pairs += [(f"down_blocks.{i}.resnets.{j}.", f"down.{i}.block.{j}.") for j in range(layers)]
        pairs += [(f"up_blocks.{i}.resnets.{j}.", f"up.{blocks - 1 - i}.block.{j}.") for j in range(layers + 1)]
        pairs += [(f"down_blocks.{i}.downsamplers.0.", f"down.{i}.downsample."),
                  (f"up_blocks.{i}.upsamplers.0.", f"up.{blocks - 1 - i}.upsample.")]
    out = {}
    for key, value in state.items():
        part, _, rest = key.partition(".")
        if part in ("encoder", "decoder"):
            for hf, sd in pairs:
                if rest.startswith(hf):
                    rest = sd + rest[len(hf):]
                    break
            rest = rest.replace("conv_shortcut.", "nin_shortcut.")
            if rest.startswith("mid.attn_1."):
                for hf, sd in _VAE_ATTENTION:
                    rest = rest.replace(hf, sd)
                if rest.endswith(".weight") and value.ndim == 2:
                    value = value.reshape(*value.shape, 1, 1)  # linear -> 1x1 conv
            key = f"{part}.{rest}"
        out["first_stage_model." + key] = value
    return out


def write_ldm_checkpoint(model: Path, target: Path) -> Path:
    """Write the UNet, VAE and text encoder of a diffusers SD 1.x folder as one LDM safetensors file."""
    from safetensors.torch import load_file, save_file

    def config(name: str) -> dict:
        return json.loads((model / name / "config.json").read_text())

    state = _unet(load_file(model / "unet" / "diffusion_pytorch_model.safetensors"), config("unet"))
    state.update(_vae(load_file(model / "vae" / "diffusion_pytorch_model.safetensors"), config("vae")))
    for key, value in load_file(model / "text_encoder" / "model.safetensors").items():
        key = key if key.startswith("text_model.") else "text_model." + key
        state["cond_stage_model.transformer." + key] = value
    save_file({k: v.contiguous() for k, v in state.items()}, target)
    return target
