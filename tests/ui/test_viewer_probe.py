"""The probe line, on hand-made results: proxy pixels, regions and data windows."""

import numpy as np

from nodecomp.engine.image import RGBA, Box, Image
from nodecomp.engine.request import Request
from nodecomp.ui.viewer_image import DisplayFrame, DisplaySettings
from nodecomp.ui.viewer_probe import probe_text
from nodecomp.ui.viewer_renderer import ViewResult

FORMAT = Box(0, 0, 64, 36)


def result(request: Request, window: Box) -> ViewResult:
    """A picture of proxy pixels whose R is the proxy x and G the proxy y, over `window` (proxy pixels)."""
    pixels = np.zeros((window.height, window.width, 4), np.float32)
    pixels[..., 0] = np.arange(window.x0, window.x1)[None, :]
    pixels[..., 1] = np.arange(window.y0, window.y1)[:, None]
    pixels[..., 3] = 1.0
    step = request.step
    image = Image(pixels, RGBA, window, FORMAT.reduced(step))
    rgba = np.full((window.height, window.width, 4), 200, np.uint8)
    frame = DisplayFrame(rgba, window.enlarged(step), FORMAT, 1.0 / step)
    return ViewResult(1, image, frame, None, DisplaySettings(), request=request)


def test_at_a_proxy_scale_the_probe_reads_the_proxy_pixel_holding_the_point():
    text = probe_text(result(Request(1.0, scale=0.25), Box(0, 0, 16, 9)), 61, 34, "rgba")
    assert "x    61  y    34" in text and "R 15.0000" in text and "G 8.0000" in text
    assert "display 200 200 200" in text and text.endswith("proxy 1/4")


def test_outside_a_region_of_interest_and_outside_the_data_window():
    roi = result(Request(1.0, Box(8, 4, 32, 20), 0.5), Box(4, 2, 16, 10))
    assert probe_text(roi, 40, 30, "rgba").endswith("outside the region of interest")
    assert "R 5.0000" in probe_text(roi, 10, 5, "rgba")
    small = result(Request(1.0), Box(0, 0, 10, 10))
    assert probe_text(small, 20, 5, "rgba", " B ").startswith(" B  x    20")
    assert probe_text(small, 20, 5, "rgba").endswith("outside the data window")
    assert probe_text(None, 1, 2, "rgba", "A-B") == "A-B x     1  y     2   no picture"
