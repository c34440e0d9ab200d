from plugins.led_wall.fields import Fields
from plugins.led_wall.model import Eotf


def test_fields_collect_problems_with_paths():
    fields = Fields()
    data = fields.mapping({"a": 1, "b": "x", "c": [1, 2], "odd": 0}, "top", ("a", "b", "c"))
    assert fields.integer(data, "a", "top", minimum=2) == 2
    assert fields.number(data, "b", "top", 1.5) == 1.5
    assert fields.vector(data, "c", "top", (0.0, 0.0, 0.0)) == (0.0, 0.0, 0.0)
    assert fields.choice({"e": "hdr"}, "e", "top", Eotf, Eotf.PQ) is Eotf.PQ
    assert fields.text({}, "name", "top") == ""
    assert [p for p, _ in fields.problems] == ["top.odd", "top.a", "top.b", "top.c", "top.e", "top.name"]


def test_fields_accept_good_values():
    fields = Fields()
    assert fields.integer({"n": 24.0}, "n", "") == 24
    assert fields.optional_number({"x": None}, "x", "") is None
    assert fields.choice({"e": "gamma"}, "e", "", Eotf) is Eotf.GAMMA
    assert fields.problems == []
