"""How many pixels a processor's ports and input carry at a bit depth and refresh rate.

The capacity model (a bandwidth model; vendors state the reference figure, it differs by
vendor, so it is a parameter of each processor in the wall file):

- A port carries a fixed number of bits per second. The vendor's `pixels_per_port` is stated
  at `reference_bits` (8) per sample and `reference_hz` (60). At b bits and f Hz a port
  carries

      floor(pixels_per_port * (reference_bits * reference_hz) / (wire_bits(b) * f))

  pixels, where wire_bits(b) = b for `packed` ports, and 16 for b > 8 on `word16` ports (some
  processors send deep samples in 16-bit words: 10- and 12-bit then cost the same).
  Example, 655,360 pixels at 8-bit 60 Hz, packed: 524,288 at 10-bit, 436,906 at 12-bit,
  327,680 at 8-bit 120 Hz, 262,144 at 10-bit 120 Hz, 218,453 at 12-bit 120 Hz.
- A port holds whole cabinets: floor(port pixels / cabinet pixels) cabinets.
- The input accepts `max_input_pixels` per frame at `reference_hz`; the pixel rate is the
  limit, so at f Hz it accepts floor(max_input_pixels * reference_hz / f) pixels per frame
  (a 4096 x 2160 input at 60 Hz takes 4096 x 1080 worth of pixels at 120 Hz).
"""

from __future__ import annotations

import math

from plugins.led_wall.model import PortPacking, Processor


def wire_bits(bit_depth: int, packing: PortPacking) -> int:
    """Bits one sample occupies on a port."""
    if packing is PortPacking.WORD16 and bit_depth > 8:
        return 16
    return bit_depth


def port_capacity(processor: Processor, bit_depth: int, refresh_hz: float) -> int:
    """Pixels one port carries at `bit_depth` and `refresh_hz` (see the module docstring)."""
    reference = processor.pixels_per_port * processor.reference_bits * processor.reference_hz
    return math.floor(reference / (wire_bits(bit_depth, processor.port_packing) * refresh_hz) + 1e-9)


def cabinets_per_port(processor: Processor, cabinet_pixels: int, bit_depth: int, refresh_hz: float) -> int:
    """Whole cabinets of `cabinet_pixels` one port drives (0 when not even one fits)."""
    return port_capacity(processor, bit_depth, refresh_hz) // cabinet_pixels


def input_capacity(processor: Processor, refresh_hz: float) -> int:
    """Pixels per frame the processor's input accepts at `refresh_hz`."""
    return math.floor(processor.max_input_pixels * processor.reference_hz / refresh_hz + 1e-9)
