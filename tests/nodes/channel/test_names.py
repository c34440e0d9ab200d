import pytest

from nodecomp.nodes.channel import names

CHANNELS = ("R", "G", "B", "A", "depth.Z", "diffuse.R", "diffuse.G", "diffuse.B", "motion.u", "motion.v")


@pytest.mark.parametrize("text, expected", [
    ("rgb", ["R", "G", "B"]),
    ("RGBA", ["R", "G", "B", "A"]),
    ("alpha", ["A"]),
    ("all", list(CHANNELS)),
    ("depth", ["depth.Z"]),
    ("motion, A", ["A", "motion.u", "motion.v"]),
    ("diffuse.rgb", ["diffuse.R", "diffuse.G", "diffuse.B"]),
    ("diffuse.alpha", []),
    ("depth.Z  diffuse.G", ["depth.Z", "diffuse.G"]),
    ("", []),
])
def test_select(text, expected):
    assert [CHANNELS[i] for i in names.select(text, CHANNELS)] == expected


def test_keywords_skip_missing_channels_and_names_must_exist():
    assert names.select("rgba", ("A",)) == [0]
    assert names.select("rgb", ("depth.Z",)) == []
    with pytest.raises(names.ChannelListError, match="no channel or layer 'normals'"):
        names.select("rgb normals", CHANNELS)
    assert names.select("normals A", CHANNELS, strict=False) == [3]


def test_new_names():
    assert names.new_names("rgba depth.Z mask.rgb A") == ["R", "G", "B", "A", "depth.Z", "mask.R", "mask.G", "mask.B"]
    for bad in ("all", "a=b", "x:y", ".Z", "depth."):
        with pytest.raises(names.ChannelListError):
            names.new_names(bad)


@pytest.mark.parametrize("channel, component", [("R", 0), ("G", 1), ("B", 2), ("A", 3), ("diffuse.G", 1),
                                                ("depth.Z", 0), ("motion.v", 1), ("motion.u", 0)])
def test_component(channel, component):
    assert names.component(channel, CHANNELS) == component


def test_entries_and_describe():
    assert names.entries(" R,G  R ,, B ") == ["R", "G", "B"]
    assert names.describe([]) == "none" and names.describe(["R", "G"]) == "R, G"
