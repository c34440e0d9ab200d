import pytest

from plugins.delivery.naming import DeliveredRange, TemplateError, expand, frame_path

FIELDS = {"shot": "sh010", "sequence": "sq01", "task": "comp", "version": 3, "camera": "A-cam"}


@pytest.mark.parametrize(
    ("template", "pattern"),
    [("<shot>_<task>_v###.####.exr", "sh010_comp_v003.%04d.exr"),
     ("/show/<sequence>/<shot>/<shot>_<task>_<version:4>.%04d.dpx", "/show/sq01/sh010/sh010_comp_0003.%04d.dpx"),
     ("<shot>_<camera>_v#.#######.exr", "sh010_A-cam_v3.%07d.exr"),
     ("out/<shot>.#.exr", "out/sh010.%01d.exr")],
)
def test_templates_fill_fields_and_keep_the_frame_token(template, pattern):
    assert expand(template, FIELDS) == pattern


@pytest.mark.parametrize(
    ("template", "fields", "message"),
    [("<shot>_<bogus>.####.exr", FIELDS, "unknown token <bogus>"),
     ("<shot>.####.exr", {**FIELDS, "shot": ""}, "shot is not set"),
     ("<shot>.####.exr", {**FIELDS, "shot": "../../etc"}, "may only hold"),
     ("<shot>.####.exr", {**FIELDS, "shot": ".."}, "may only hold"),
     ("<shot>_v###.####.exr", {**FIELDS, "version": None}, "version is None"),
     ("<shot>.exr", FIELDS, "exactly one frame number token"),
     ("<shot>.####.%04d.exr", FIELDS, "exactly one frame number token")],
)
def test_bad_templates_say_why(template, fields, message):
    with pytest.raises(TemplateError, match=message):
        expand(template, fields)


def test_frame_paths_pad_and_keep_the_sign():
    assert frame_path("/d/sh010_v003.%04d.exr", 1001) == "/d/sh010_v003.1001.exr"
    assert frame_path("/d%5/a.%04d.exr", -12) == "/d%5/a.-012.exr"


def test_delivered_range_is_the_cut_plus_handles():
    delivered = DeliveredRange(1001, 1010, 8)
    assert (delivered.first, delivered.last, len(delivered.frames)) == (993, 1018, 26)
    assert 993 in delivered and 1018 in delivered and 992 not in delivered and 1019 not in delivered
    with pytest.raises(TemplateError, match="ends"):
        DeliveredRange(10, 9)
    with pytest.raises(TemplateError, match="handles"):
        DeliveredRange(1, 9, -1)
