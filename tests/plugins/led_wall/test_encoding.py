import numpy as np
import pytest

from plugins.led_wall.encoding import (
    PQ_C1,
    PQ_C2,
    PQ_C3,
    PQ_M1,
    PQ_M2,
    code_scale,
    container16,
    encoder_for,
    from_container16,
    gamma_encode,
    pq_decode,
    pq_encode,
    reference_codes,
    to_code,
)
from plugins.led_wall.model import Eotf, SignalRange

# ST 2084 by hand. m1 = 2610/16384 = 0.1593017578, m2 = 2523/4096*128 = 78.84375,
# c1 = 3424/4096 = 0.8359375, c2 = 2413/4096*32 = 18.8515625, c3 = 2392/4096*32 = 18.6875.
#   100 nits:  Y = 0.01; Y^m1 = 0.4801716; (c1 + c2 Y^m1) / (1 + c3 Y^m1) = 9.8879227 / 9.9732071
#              = 0.9914489; ^m2 -> E' = 0.5080784
#   1000 nits: Y = 0.1;  Y^m1 = 0.6929442; 13.8990177 / 13.9493941 = 0.9963886; E' = 0.7518271
#   1500 nits: Y = 0.15; Y^m1 = 0.7391795; 14.7706253 / 14.8134161 = 0.9971113; E' = 0.7960589
# Full range D = round((2^n - 1) E'); legal D = round(2^(n-8) (16 + 219 E')):
#   100:  10-bit 1023 * 0.5080784 = 519.76 -> 520; 64 + 876 * 0.5080784 = 509.08 -> 509
#         12-bit 4095 * 0.5080784 = 2080.58 -> 2081; 256 + 3504 * 0.5080784 = 2036.31 -> 2036
#   1000: 10-bit 769.12 -> 769; 722.60 -> 723; 12-bit 3078.73 -> 3079; 2890.40 -> 2890
#   1500: 10-bit 814.37 -> 814; 761.35 -> 761; 12-bit 3259.86 -> 3260; 3045.39 -> 3045
PQ_SIGNAL = {100: 0.5080784, 1000: 0.7518271, 1500: 0.7960589}
PQ_CODES = {  # (nits, bits, range) -> code
    (100, 10, "full"): 520, (100, 10, "legal"): 509, (100, 12, "full"): 2081, (100, 12, "legal"): 2036,
    (1000, 10, "full"): 769, (1000, 10, "legal"): 723, (1000, 12, "full"): 3079, (1000, 12, "legal"): 2890,
    (1500, 10, "full"): 814, (1500, 10, "legal"): 761, (1500, 12, "full"): 3260, (1500, 12, "legal"): 3045,
}


def test_pq_constants_are_the_standard_ratios():
    assert (PQ_M1, PQ_M2, PQ_C1, PQ_C2, PQ_C3) == (0.1593017578125, 78.84375, 0.8359375, 18.8515625, 18.6875)


@pytest.mark.parametrize("nits", [100, 1000, 1500])
def test_pq_signal_matches_the_hand_worked_values(nits):
    assert float(pq_encode(nits)) == pytest.approx(PQ_SIGNAL[nits], abs=5e-8)
    assert float(pq_decode(pq_encode(nits))) == pytest.approx(nits, rel=1e-12)


def test_pq_end_points():
    assert float(pq_encode(0.0)) == pytest.approx(PQ_C1 ** PQ_M2)  # 7.3e-7: PQ black is not exactly 0
    assert float(pq_encode(10000.0)) == pytest.approx(1.0)


@pytest.mark.parametrize("key", sorted(PQ_CODES))
def test_pq_code_values_full_and_legal(key):
    nits, bits, signal_range = key
    expected = PQ_CODES[key]
    assert int(reference_codes(nits, Eotf.PQ, bits, SignalRange(signal_range), 10000.0)) == expected
    encoder = encoder_for(Eotf.PQ, bits, SignalRange(signal_range), 10000.0, 2.4)
    assert int(encoder.codes(np.float32([nits / 10000.0]))[0]) == expected


def test_code_scales():
    assert code_scale(10, SignalRange.FULL) == (0, 1023)
    assert code_scale(10, SignalRange.LEGAL) == (64, 876)  # black 64, white 940
    assert code_scale(12, SignalRange.LEGAL) == (256, 3504)  # black 256, white 3760
    assert int(to_code(1.0, 10, SignalRange.LEGAL)) == 940
    assert int(to_code(0.5 / 1023, 10, SignalRange.FULL)) == 1  # halves round up


@pytest.mark.parametrize("eotf, bits, signal_range, gamma", [
    (Eotf.PQ, 10, SignalRange.FULL, 2.4),
    (Eotf.PQ, 12, SignalRange.LEGAL, 2.4),
    (Eotf.PQ, 8, SignalRange.FULL, 2.4),
    (Eotf.GAMMA, 10, SignalRange.LEGAL, 2.4),
    (Eotf.GAMMA, 12, SignalRange.FULL, 1.0),
])
def test_fast_encoder_equals_the_formula_on_every_sample(eotf, bits, signal_range, gamma):
    peak = 1500.0
    unit = 10000.0 if eotf is Eotf.PQ else peak
    encoder = encoder_for(eotf, bits, signal_range, peak, gamma)
    rng = np.random.default_rng(bits)
    light = (rng.random(300_000) ** 4 * peak / unit).astype(np.float32)
    got = encoder.codes(light)
    expected = reference_codes(light.astype(np.float64) * unit, eotf, bits, signal_range, peak, gamma)
    np.testing.assert_array_equal(got, expected)


def test_encoder_is_exact_either_side_of_each_step():
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4)
    # The light at which 10-bit full-range PQ steps to each code, and the float32 just below it.
    targets = (np.arange(1, 815) - 0.5) / 1023
    thresholds = (pq_decode(targets) / 10000.0).astype(np.float32)
    for light in (thresholds, np.nextafter(thresholds, np.float32(0)), np.nextafter(thresholds, np.float32(1))):
        expected = reference_codes(light.astype(np.float64) * 10000.0, Eotf.PQ, 10, SignalRange.FULL, 1500.0)
        np.testing.assert_array_equal(encoder.codes(light), expected)


def test_nan_and_negative_light_encode_as_black():
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.LEGAL, 1000.0, 2.4)
    codes = encoder.codes(np.float32([np.nan, -0.0, -1.0, 0.0]))
    np.testing.assert_array_equal(codes, [64, 64, 64, 64])


def test_peak_code():
    assert encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4).peak_code == 814
    assert encoder_for(Eotf.GAMMA, 10, SignalRange.LEGAL, 600.0, 2.4).peak_code == 940


def test_gamma_is_relative_to_the_peak():
    # 150 nits on a 600-nit wall at gamma 2.4: (150 / 600)^(1 / 2.4) = 0.25^0.41667 = 0.56123
    assert float(gamma_encode(150.0, 600.0, 2.4)) == pytest.approx(0.5612310, abs=1e-7)
    assert int(reference_codes(150.0, Eotf.GAMMA, 10, SignalRange.FULL, 600.0, 2.4)) == 574  # 574.14


@pytest.mark.parametrize("bits", [8, 10, 12])
def test_containers_round_trip_and_scale_exactly(bits):
    codes = np.arange(1 << bits, dtype=np.uint16)
    boxed = container16(codes, bits)
    np.testing.assert_array_equal(from_container16(boxed, bits), codes)
    # A reader scaling 16 bits to n bits (round(v * (2^n - 1) / 65535)) gets the code back.
    np.testing.assert_array_equal(np.rint(boxed.astype(np.float64) * ((1 << bits) - 1) / 65535), codes)
    assert boxed[-1] == 65535


def test_encode_writes_containers_into_a_given_buffer():
    encoder = encoder_for(Eotf.PQ, 10, SignalRange.FULL, 1500.0, 2.4)
    light = np.float32([[0.01, 0.1], [0.15, 0.0]])
    out = np.zeros((2, 2), np.uint16)
    assert encoder.encode(light, out=out) is out
    np.testing.assert_array_equal(from_container16(out, 10), [[520, 769], [814, 0]])
