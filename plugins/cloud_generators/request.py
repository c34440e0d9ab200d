"""One generation request, its cache keys, and the graph frame encoded for upload.

The key of a generation is a SHA-256 over a canonical JSON of everything that decides the
result: service, operation, model, every argument sent (prompt, seed, ratio, duration, ...)
and the SHA-256 of the exact image bytes uploaded. It has two parts so a node can find its
records before its input is rendered: `request_key` (params only) names a folder, `input_hash`
names the record in it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np

from nodecomp.api import RGB, EvalContext, Image, conform

SRGB = "sRGB Encoded Rec.709 (sRGB)"
NO_INPUT = "no-input"
# Runway accepts data URIs up to 5 MB; base64 makes bytes 4/3 larger.
MAX_UPLOAD_BYTES = 3_600_000


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, plain types only: the same request always gives the same text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def sha256(data: bytes | str) -> str:
    """Hex SHA-256 of bytes (or UTF-8 text)."""
    return hashlib.sha256(data.encode("utf-8") if isinstance(data, str) else data).hexdigest()


@dataclass(frozen=True)
class GenerationRequest:
    """What is sent to a service, minus the key.

    Attributes:
        service: `runway` or `kling`.
        operation: `image_to_video`, `text_to_image` or `text_to_video`.
        model: the service's model id (Runway) or endpoint id (fal).
        arguments: every other argument sent, JSON types only.
        image: the encoded input frame, or None.
        image_mime: its MIME type.
    """

    service: str
    operation: str
    model: str
    arguments: Mapping[str, Any]
    image: bytes | None = field(default=None, repr=False)
    image_mime: str = "image/png"

    @property
    def request_key(self) -> str:
        """Hash of everything but the input image."""
        return request_key(self.service, self.operation, self.model, self.arguments)

    @property
    def input_hash(self) -> str:
        """SHA-256 of the uploaded bytes, or `no-input`."""
        return sha256(self.image) if self.image is not None else NO_INPUT

    @property
    def key(self) -> str:
        """The whole generation key."""
        return sha256(f"{self.request_key}/{self.input_hash}")

    def data_uri(self) -> str:
        """The input image as a base64 data URI (how both services accept an inline image)."""
        if self.image is None:
            raise ValueError("this request has no input image")
        return f"data:{self.image_mime};base64,{base64.b64encode(self.image).decode('ascii')}"

    def describe(self) -> dict[str, Any]:
        """The JSON recorded beside the result (no key, no image bytes)."""
        return {"service": self.service, "operation": self.operation, "model": self.model,
                "arguments": dict(self.arguments), "input_sha256": self.input_hash,
                "request_key": self.request_key}


def request_key(service: str, operation: str, model: str, arguments: Mapping[str, Any]) -> str:
    """The params-only part of a generation key."""
    return sha256(canonical_json({"service": service, "operation": operation, "model": model,
                                  "arguments": dict(arguments)}))


def encode_input(ctx: EvalContext, image: Image, colorspace: str = SRGB) -> tuple[bytes, str]:
    """The graph frame as the 8-bit image a service expects: (bytes, MIME type).

    The display window (the frame as a viewer shows it) is converted from the working space to
    `colorspace`, composited over black (the colour is premultiplied), clipped and rounded to
    8 bits, and encoded as PNG; a frame whose PNG is too large for an inline upload is sent as
    JPEG (quality 95). The same pixels always give the same bytes, hence the same cache key.
    """
    pixels = conform(image, image.display_window, RGB)
    if colorspace and colorspace != ctx.working_space:
        pixels = ctx.colour.convert(pixels, ctx.working_space, ctx.colour.canonical(colorspace), [0, 1, 2])
    rgb8 = np.clip(np.rint(np.asarray(pixels) * 255.0), 0, 255).astype(np.uint8)
    bgr = np.ascontiguousarray(rgb8[..., ::-1])
    ok, png = cv2.imencode(".png", bgr, [cv2.IMWRITE_PNG_COMPRESSION, 3])
    if ok and png.nbytes <= MAX_UPLOAD_BYTES:
        return png.tobytes(), "image/png"
    ok, jpeg = cv2.imencode(".jpg", bgr, [cv2.IMWRITE_JPEG_QUALITY, 95])
    if not ok:
        raise ValueError("the input frame cannot be encoded")
    return jpeg.tobytes(), "image/jpeg"
