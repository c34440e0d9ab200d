import pytest

from plugins.delivery.timecode import TimecodeError, from_frames, offset, pack, to_frames


def test_timecode_round_trips_at_nominal_rates():
    assert to_frames("01:00:00:00", 24) == 86400
    assert from_frames(86400 + 23, 24) == "01:00:00:23"
    assert to_frames("00:00:01:00", 23.976) == 24  # non-drop counting at the nominal rate
    assert offset("00:59:59:23", 1, 24) == "01:00:00:00"
    assert offset("23:59:59:24", 1, 25) == "00:00:00:00"  # wraps at 24 hours
    assert offset("01:00:00;00", 2, 29.97) == "01:00:00;02"


@pytest.mark.parametrize("bad", ["1:00:00:00", "01:00:00:24", "01:60:00:00", "junk"])
def test_bad_timecodes_are_refused(bad):
    with pytest.raises(TimecodeError):
        to_frames(bad, 24)


def test_pack_is_bcd_with_the_drop_frame_flag():
    assert pack("01:02:03:04") == (0x01020304, 0)
    assert pack("00:00:00;00")[0] & (1 << 6)
