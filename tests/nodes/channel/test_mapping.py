import numpy as np
import pytest

from nodecomp.nodes.channel.mapping import Route, gather, keep_others, parse_mapping
from nodecomp.nodes.channel.names import ChannelListError

CHANNELS = ("R", "G", "B", "A", "diffuse.R", "diffuse.G", "diffuse.B")


def test_parse_channels_constants_and_layers():
    routes = parse_mapping("R=G, A=1 depth.Z=A beauty=diffuse", CHANNELS)
    assert routes == [Route("R", 1), Route("A", None, 1.0), Route("depth.Z", 3), Route("beauty.R", 4),
                      Route("beauty.G", 5), Route("beauty.B", 6)]
    assert parse_mapping("rgb=diffuse", CHANNELS)[0] == Route("R", 4)
    # rgba=diffuse: diffuse.R -> R would clash with R=G above
    with pytest.raises(ChannelListError, match="written twice"):
        parse_mapping("R=G rgba=diffuse", CHANNELS)
    assert parse_mapping("beauty=rgba", ("R", "G"))[1] == Route("beauty.G", 1)


@pytest.mark.parametrize("text, message", [("R", "not target=source"), ("R=", "not target=source"),
                                           ("R=normals", "no channel or layer 'normals'"),
                                           ("a:b=R", "not a valid channel name")])
def test_parse_errors(text, message):
    with pytest.raises(ChannelListError, match=message):
        parse_mapping(text, CHANNELS)


def test_gather_copies_runs_and_fills_constants():
    x = np.arange(2 * 2 * 7, dtype=np.float32).reshape(2, 2, 7)
    out = gather(x, [Route("a", 4), Route("b", 5), Route("c", 6), Route("d", None, 1.0), Route("e", 0)])
    np.testing.assert_array_equal(out[..., :3], x[..., 4:7])
    np.testing.assert_array_equal(out[..., 3], 1.0)
    np.testing.assert_array_equal(out[..., 4], x[..., 0])


def test_keep_others_replaces_in_place_and_appends():
    routes = keep_others([Route("G", 0), Route("Z", None, 0.0)], ("R", "G", "B"))
    assert routes == [Route("R", 0), Route("G", 0), Route("B", 2), Route("Z", None, 0.0)]


def test_keyword_targets_fan_out_one_channel_or_constant():
    assert parse_mapping("rgb=A", CHANNELS) == [Route("R", 3), Route("G", 3), Route("B", 3)]
    assert parse_mapping("mask.rgba=0", CHANNELS) == [Route(f"mask.{c}", None, 0.0) for c in "RGBA"]
