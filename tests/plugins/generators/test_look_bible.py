import pytest

from plugins.generators.look_bible import LookBible, from_metadata, join_prompt, set_look_bible


def test_no_bible_is_an_empty_one():
    assert from_metadata({"document": "shot"}) == LookBible()


def test_a_full_bible_is_parsed_with_fragments_joined():
    bible = from_metadata({"look_bible": {
        "style": ["overcast", " muted greens "],
        "negative": "text, watermark",
        "model": "models/show",
        "loras": [{"file": "a.safetensors", "weight": 0.5}, "b.safetensors"],
    }})
    assert bible == LookBible("overcast, muted greens", "text, watermark", "models/show",
                              (("a.safetensors", 0.5), ("b.safetensors", 1.0)))


def test_to_metadata_round_trips():
    bible = LookBible("style", "neg", "m", (("x.safetensors", 0.25),))
    assert from_metadata({"look_bible": bible.to_metadata()}) == bible


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        ("just text", "look_bible must be an object"),
        ({"colour": "red"}, "unknown fields: colour"),
        ({"style": 3}, "look_bible.style must be text"),
        ({"style": ["ok", 1]}, "look_bible.style[1] must be text"),
        ({"loras": {"file": "a"}}, "look_bible.loras must be a list"),
        ({"loras": [{"weight": 1}]}, "look_bible.loras[0] must be an object with a file"),
        ({"loras": [{"file": "a", "weight": "high"}]}, "look_bible.loras[0].weight must be a number"),
    ],
)
def test_a_malformed_bible_names_the_field(raw, field):
    with pytest.raises(ValueError, match=field.replace("[", r"\[").replace("]", r"\]")):
        from_metadata({"look_bible": raw})


def test_set_look_bible_checks_before_storing():
    class Doc:
        metadata: dict = {}

    doc = Doc()
    set_look_bible(doc, LookBible(style="dusk"))
    assert doc.metadata["look_bible"]["style"] == "dusk"
    with pytest.raises(ValueError):
        set_look_bible(doc, {"style": 1})
    assert doc.metadata["look_bible"]["style"] == "dusk"


def test_join_prompt_skips_empty_parts():
    assert join_prompt("a red sky", "", "  ", "film grain ") == "a red sky, film grain"
