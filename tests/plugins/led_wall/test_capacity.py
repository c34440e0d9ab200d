import pytest

from plugins.led_wall.capacity import cabinets_per_port, input_capacity, port_capacity, wire_bits
from plugins.led_wall.model import PortPacking, Processor


def _processor(**changes):
    fields = dict(name="P", model="", input_width=4096, input_height=2160, max_input_width=4096,
                  max_input_height=2160, max_input_pixels=4096 * 2160, ports=16, pixels_per_port=655_360)
    fields.update(changes)
    return Processor(**fields)


# 655,360 px per port at 8 bits and 60 Hz is 655,360 * 8 * 60 = 314,572,800 bits per second of
# samples. Cabinet = 192 x 192 = 36,864 px.
@pytest.mark.parametrize("bits, hz, pixels, cabinets", [
    (8, 60, 655_360, 17),    # 314,572,800 / (8 * 60)   = 655,360; / 36,864 = 17.78
    (10, 60, 524_288, 14),   # 314,572,800 / (10 * 60)  = 524,288; 14.22
    (12, 60, 436_906, 11),   # 314,572,800 / (12 * 60)  = 436,906.67; 11.85
    (8, 120, 327_680, 8),    # 314,572,800 / (8 * 120)  = 327,680; 8.89
    (10, 120, 262_144, 7),   # 314,572,800 / (10 * 120) = 262,144; 7.11
    (12, 120, 218_453, 5),   # 314,572,800 / (12 * 120) = 218,453.33; 5.93
])
def test_port_capacity_scales_with_bits_and_refresh(bits, hz, pixels, cabinets):
    processor = _processor()
    assert port_capacity(processor, bits, hz) == pixels
    assert cabinets_per_port(processor, 192 * 192, bits, hz) == cabinets


@pytest.mark.parametrize("bits, hz, pixels", [
    (8, 60, 655_360),
    (10, 60, 327_680),   # 16-bit words: 314,572,800 / (16 * 60)
    (12, 60, 327_680),   # 12-bit costs the same as 10-bit on such a port
    (10, 120, 163_840),
])
def test_word16_ports_carry_deep_samples_in_16_bits(bits, hz, pixels):
    assert port_capacity(_processor(port_packing=PortPacking.WORD16), bits, hz) == pixels


def test_wire_bits():
    assert wire_bits(10, PortPacking.PACKED) == 10
    assert wire_bits(10, PortPacking.WORD16) == 16
    assert wire_bits(8, PortPacking.WORD16) == 8


def test_reference_figures_are_parameters():
    # A vendor stating 1,000,000 px at 10-bit 60 Hz: 8-bit carries 1,250,000 px.
    processor = _processor(pixels_per_port=1_000_000, reference_bits=10)
    assert port_capacity(processor, 8, 60) == 1_250_000
    assert port_capacity(processor, 10, 50) == 1_200_000  # 60/50 more at a lower refresh


def test_input_capacity_is_a_pixel_rate():
    processor = _processor()
    assert input_capacity(processor, 60) == 8_847_360   # 4096 x 2160
    assert input_capacity(processor, 120) == 4_423_680  # half the pixels per frame at twice the rate
    assert cabinets_per_port(processor, 2_000_000, 8, 60) == 0  # a cabinet bigger than a port
