"""Generation keys: every argument and the uploaded bytes decide them; nothing else does."""

from __future__ import annotations

import base64

import numpy as np

from nodecomp.testing import image
from plugins.cloud_generators.request import NO_INPUT, GenerationRequest, encode_input, request_key


def make(**changes):
    fields = {"service": "runway", "operation": "image_to_video", "model": "gen4_turbo",
              "arguments": {"seed": 1, "ratio": "1280:720"}, "image": b"png-bytes"}
    fields.update(changes)
    return GenerationRequest(**fields)


def test_keys_are_stable_and_change_with_every_part():
    base = make()
    assert base.key == make(arguments={"ratio": "1280:720", "seed": 1}).key  # order does not matter
    variants = [make(service="kling"), make(operation="text_to_video"), make(model="gen4.5"),
                make(arguments={"seed": 2, "ratio": "1280:720"}), make(image=b"other"), make(image=None)]
    assert len({base.key, *(v.key for v in variants)}) == 7
    assert make(image=b"other").request_key == base.request_key  # the params-only part ignores the input
    assert make(image=None).input_hash == NO_INPUT
    assert base.request_key == request_key("runway", "image_to_video", "gen4_turbo", {"ratio": "1280:720", "seed": 1})


def test_the_data_uri_carries_the_exact_bytes():
    uri = make(image=b"\x89PNG...", image_mime="image/png").data_uri()
    assert uri.startswith("data:image/png;base64,") and base64.b64decode(uri.split(",", 1)[1]) == b"\x89PNG..."


def test_the_recorded_description_holds_no_image_bytes():
    described = make(image=b"secret-pixels").describe()
    assert b"secret-pixels".decode() not in str(described) and described["input_sha256"] == make(
        image=b"secret-pixels").input_hash


def test_the_same_pixels_encode_to_the_same_bytes(shot):
    from nodecomp.engine.evaluator import Evaluator
    from nodecomp.engine.request import Request

    node = shot["Plate"]
    ctx = Evaluator(shot).context(node, Request(1.0))
    pixels = np.random.default_rng(3).random((18, 32, 4), dtype=np.float32)
    first, mime = encode_input(ctx, image(pixels), "scene_linear")
    again, _ = encode_input(ctx, image(pixels.copy()), "scene_linear")
    assert first == again and mime == "image/png"
    assert encode_input(ctx, image(pixels), "sRGB Encoded Rec.709 (sRGB)")[0] != first
