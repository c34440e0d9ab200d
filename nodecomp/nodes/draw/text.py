"""Text: slates and burn-ins, with `[frame]`-style tokens, rendered with OpenImageIO's FreeType text."""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Mapping
from typing import Any

import cv2
import numpy as np
import OpenImageIO as oiio
from OpenImageIO import ImageBufAlgo

from nodecomp.api import Box, Choice, Color, EvalContext, Float, Image, Input, NodeType, String, Vec2
from nodecomp.nodes.draw.paint import draw_box, generator_fingerprint, paint_image
from nodecomp.nodes.draw.text_tokens import TokenError, expand_tokens, uses_date

ALIGNMENTS = ("left", "center", "right")
DEFAULT_FONT = "DroidSans"  # shipped inside the OpenImageIO wheel, so it is always found
_HERSHEY = cv2.FONT_HERSHEY_SIMPLEX
_LINE_SPACING = 1.2  # of the font size, for the fallback renderer (FreeType uses the font's own)


class FontNotFound(LookupError):
    """OpenImageIO could not find the font; the message is OIIO's."""


def is_font_file(font: str) -> bool:
    """True when `font` names a file rather than a font family."""
    return os.sep in font or "/" in font or font.lower().endswith((".ttf", ".otf", ".ttc", ".pfb"))


def render_text_oiio(canvas: Box, text: str, font: str, size: int, position: tuple[int, int],
                     align: str) -> np.ndarray:
    """Glyph coverage (canvas.height, canvas.width) in 0..1 from OIIO's `render_text` (FreeType).

    `position` is the left end (or centre, or right end, per `align`) of the first line's
    baseline, in absolute pixels; lines below follow the font's line spacing.

    Raises:
        FontNotFound: OIIO could not find `font`.
        RuntimeError: any other OIIO failure.
    """
    spec = oiio.ImageSpec(canvas.width, canvas.height, 1, "float")
    spec.x, spec.y = canvas.x0, canvas.y0
    buffer = oiio.ImageBuf(spec)
    ok = ImageBufAlgo.render_text(buffer, position[0], position[1], text, size, font, (1.0,), align, "baseline")
    if not ok or buffer.has_error:
        message = buffer.geterror() or oiio.geterror() or "render_text failed"
        if "font" in message.lower():
            raise FontNotFound(message)
        raise RuntimeError(message)
    return np.asarray(buffer.get_pixels(oiio.TypeFloat), np.float32).reshape(canvas.height, canvas.width)


def render_text_hershey(canvas: Box, text: str, size: int, position: tuple[int, int], align: str) -> np.ndarray:
    """The same coverage drawn with OpenCV's Hershey simplex font (the fallback when no font is found).

    The font is scaled so its capitals are 0.7 * size pixels tall (about a FreeType font's cap
    height at that size); lines are 1.2 * size apart.
    """
    mask = np.zeros((canvas.height, canvas.width), np.uint8)
    thickness = max(1, round(size / 24))
    scale = cv2.getFontScaleFromHeight(_HERSHEY, max(1, round(size * 0.7)), thickness)
    for line_index, line in enumerate(text.split("\n")):
        (line_width, _), _ = cv2.getTextSize(line, _HERSHEY, scale, thickness)
        shift = {"left": 0, "center": line_width // 2, "right": line_width}[align]
        origin = (position[0] - canvas.x0 - shift, position[1] - canvas.y0 + round(line_index * size * _LINE_SPACING))
        cv2.putText(mask, line, origin, _HERSHEY, scale, 255, thickness, cv2.LINE_AA)
    return mask.astype(np.float32) / np.float32(255.0)


def used_box(coverage: np.ndarray, canvas: Box) -> Box:
    """The smallest box (absolute pixels) holding every nonzero coverage value."""
    rows = np.flatnonzero(coverage.any(axis=1))
    if rows.size == 0:
        return Box(canvas.x0, canvas.y0, canvas.x0, canvas.y0)
    cols = np.flatnonzero(coverage[rows[0]:rows[-1] + 1].any(axis=0))
    return Box(canvas.x0 + int(cols[0]), canvas.y0 + int(rows[0]),
               canvas.x0 + int(cols[-1]) + 1, canvas.y0 + int(rows[-1]) + 1)


class _Marker(Mapping[str, str]):
    """Metadata that has every key, for hashing: the source image's own values enter the key through its hash."""

    def __getitem__(self, key: str) -> str:
        return f"\0image:{key}"

    def __contains__(self, key: object) -> bool:
        return True

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


class Text(NodeType):
    """Draws text: slates, burn-ins, labels.

    The message may hold tokens, expanded at each frame: `[frame]` (or `[frame:04d]` with any
    format spec), `[fps]`, `[document]`, `[date]` (or `[date:%d %b %Y]`), and `[meta:KEY]`
    (the source image's metadata, such as `input/filename`, else the document's). A backslash
    before a bracket makes it a literal bracket; an unknown token is an error listing the
    known ones. Tokens are this
    fixed set, not general expressions: a node sees the frame and the document's metadata,
    not other nodes' params.

    Glyphs are rendered with OpenImageIO's FreeType text (`font` is a family such as DroidSans,
    DroidSerif, DroidSansMono, a system font, or a .ttf/.otf path). When the font cannot be
    found the text is drawn with OpenCV's Hershey font instead and the node warns. Size is the
    font size in pixels (about the height from descender to ascender); position is where the
    first line's baseline starts (left), is centred, or ends (right), in whole pixels.

    out = color * opacity * coverage, premultiplied, over `source` when connected (a burn-in),
    else on a transparent image of the document format. The cache key holds the expanded
    text, so a static slate is computed once and a frame counter once per frame.

    For a region of interest only the region's glyph pixels are rendered. At a proxy scale size
    and position are scaled (then rounded to whole proxy pixels) and the glyphs rendered at
    that size: legible and in place, but hinting and rounding make them differ from the full
    picture reduced by up to a proxy pixel at glyph edges.
    """

    type_id = "nodecomp.Text"
    version = 1
    category = "Draw"
    supports_region = True
    supports_scale = True
    inputs = (Input("source", optional=True, doc="Optional plate the text is drawn over (a burn-in)."),)
    params = (
        String("message", default="", multiline=True,
               doc="The text; may hold [frame], [frame:04d], [fps], [document], [date], [meta:KEY]."),
        String("font", default=DEFAULT_FONT, doc="Font family (DroidSans, DroidSerif-Bold...) or a .ttf/.otf file."),
        Float("size", default=48.0, min=1.0, max=2000.0, pixels=True,
              doc="Font size in pixels (rounded to whole pixels)."),
        Vec2("position", default=(100.0, 100.0), pixels=True,
             doc="Start of the first line's baseline, in pixels (x, y)."),
        Choice("align", default="left", choices=ALIGNMENTS,
               doc="Whether position is the left end, the centre or the right end of the lines."),
        Color("color", default=(1.0, 1.0, 1.0, 1.0), doc="RGBA of the glyphs, premultiplied."),
        Float("opacity", default=1.0, min=0.0, max=1.0, doc="Multiplies the text's colour and alpha."),
    )

    @classmethod
    def pass_through(cls, params: Mapping[str, Any]) -> str | None:
        """No text, or invisible text, leaves the source as it is."""
        return "source" if not params["message"] or params["opacity"] == 0.0 or not any(params["color"]) else None

    @classmethod
    def fingerprint(cls, ctx: EvalContext, params: Mapping[str, Any]) -> Any:
        """The expanded text (frame, fps, date...), the format, and a font file's size and mtime."""
        message = params["message"]
        try:
            expanded = expand_tokens(message, frame=ctx.frame, metadata=ctx.metadata, image_metadata=_Marker())
        except TokenError as exc:
            raise ctx.error(str(exc), hint="fix the token in the message") from None
        font_state: Any = None
        if is_font_file(params["font"]):
            path = ctx.resolve_path(params["font"])
            font_state = (path, os.path.getsize(path), os.path.getmtime(path)) if os.path.isfile(path) else path
        meta = dict(ctx.metadata) if "[meta:" in message else None
        day = datetime.date.today().isoformat() if uses_date(message) else None
        return (generator_fingerprint(ctx), expanded, font_state, meta, day)

    @staticmethod
    def compute(ctx: EvalContext, source: Image | None, message: str, font: str, size: float,
                position: tuple[float, float], align: str, color: tuple[float, ...], opacity: float) -> Image:
        """Expand the tokens, render the glyphs and put them over the source."""
        try:
            text = expand_tokens(message, frame=ctx.frame, metadata=ctx.metadata,
                                 image_metadata=source.metadata if source is not None else None)
        except TokenError as exc:
            raise ctx.error(str(exc), hint="fix the token in the message") from None
        canvas = draw_box(ctx, source)
        pixel_size = max(1, round(size))
        origin = (round(position[0]), round(position[1]))
        font_name = ctx.resolve_path(font) if is_font_file(font) else font
        if not text.strip():
            coverage = np.zeros((canvas.height, canvas.width), np.float32)
        else:
            try:
                coverage = render_text_oiio(canvas, text, font_name, pixel_size, origin, align)
            except FontNotFound as exc:
                ctx.warn(f"{exc}; drawing the text with OpenCV's Hershey font instead")
                coverage = render_text_hershey(canvas, text, pixel_size, origin, align)
            except RuntimeError as exc:
                raise ctx.error(f"cannot render the text: {exc}") from None
        box = used_box(coverage, canvas)
        part = coverage[box.y0 - canvas.y0:box.y1 - canvas.y0, box.x0 - canvas.x0:box.x1 - canvas.x0]
        paint = part[..., None] * (np.asarray(color, np.float32) * np.float32(opacity))
        return paint_image(ctx, source, paint, box)
