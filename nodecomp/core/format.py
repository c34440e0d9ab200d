"""Image formats (the display window a comp is delivered at) and named presets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Format:
    """A delivery format: width and height in pixels, pixel aspect, an optional preset name."""

    width: int
    height: int
    pixel_aspect: float = 1.0
    name: str = ""

    def __post_init__(self) -> None:
        if not (isinstance(self.width, int) and isinstance(self.height, int)):
            raise ValueError(f"format size must be integers, got {self.width!r}x{self.height!r}")
        if self.width <= 0 or self.height <= 0 or self.width > 65536 or self.height > 65536:
            raise ValueError(f"format size {self.width}x{self.height} is out of range (1..65536)")
        if not 0.01 <= float(self.pixel_aspect) <= 100:
            raise ValueError(f"pixel aspect {self.pixel_aspect!r} is out of range")

    def to_dict(self) -> dict[str, Any]:
        """JSON form."""
        return {"width": self.width, "height": self.height, "pixel_aspect": self.pixel_aspect, "name": self.name}


PRESETS: dict[str, Format] = {
    f.name: f
    for f in (
        Format(1920, 1080, 1.0, "HD_1080"),
        Format(1280, 720, 1.0, "HD_720"),
        Format(3840, 2160, 1.0, "UHD_4K"),
        Format(4096, 2160, 1.0, "4K_DCI"),
        Format(2048, 1080, 1.0, "2K_DCI"),
        Format(2048, 858, 1.0, "2K_Scope"),
        Format(1998, 1080, 1.0, "2K_Flat"),
        Format(960, 540, 1.0, "HD_half"),
        Format(720, 576, 1.0667, "PAL"),
        Format(720, 486, 0.9, "NTSC"),
        Format(1024, 1024, 1.0, "square_1K"),
        Format(2048, 2048, 1.0, "square_2K"),
    )
}
