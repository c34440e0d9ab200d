"""ImportGenerated: downloads from services with no public API, with prompt and seed on record."""

from __future__ import annotations

import json

import pytest

from nodecomp.api import EvaluationError
from tests.plugins.cloud_generators.conftest import media_dir
from tests.plugins.cloud_generators.helpers import evaluate, red_of

TYPE = "cloud_generators.ImportGenerated"
ABOUT = {"service": "midjourney", "model": "v7", "prompt": "brutalist tower in fog --ar 16:9", "seed": 1234}


def test_an_image_is_copied_in_and_carries_its_prompt_and_seed(shot, tmp_path, png_bytes):
    download = tmp_path / "downloads" / "tower.png"
    download.parent.mkdir()
    download.write_bytes(png_bytes)
    node = shot.add(TYPE, file=str(download), **ABOUT)
    image = evaluate(shot, node, 5)
    assert image.metadata["cloud/prompt"] == ABOUT["prompt"] and image.metadata["cloud/seed"] == 1234
    assert image.metadata["cloud/service"] == "midjourney" and image.metadata["cloud/model"] == "v7"
    (copy,) = media_dir(shot).glob("*.png")
    assert copy.read_bytes() == png_bytes and image.metadata["cloud/media"] == f"media/generated/{copy.name}"
    (record,) = media_dir(shot).glob("records/import/*.json")
    assert json.loads(record.read_text())["prompt"] == ABOUT["prompt"]


def test_the_copy_keeps_the_comp_working_when_the_download_is_gone(shot, tmp_path, png_bytes):
    download = tmp_path / "tower.png"
    download.write_bytes(png_bytes)
    node = shot.add(TYPE, file=str(download), **ABOUT)
    before = evaluate(shot, node, 1)
    download.unlink()
    after = evaluate(shot, node, 1)
    assert (after.pixels == before.pixels).all()


def test_an_edited_prompt_updates_the_record_without_copying_again(shot, tmp_path, png_bytes):
    download = tmp_path / "tower.png"
    download.write_bytes(png_bytes)
    node = shot.add(TYPE, file=str(download), **ABOUT)
    evaluate(shot, node, 1)
    node["prompt"] = "brutalist tower at dawn"
    assert evaluate(shot, node, 1).metadata["cloud/prompt"] == "brutalist tower at dawn"
    (record,) = media_dir(shot).glob("records/import/*.json")
    assert json.loads(record.read_text())["prompt"] == "brutalist tower at dawn"
    assert len(list(media_dir(shot).glob("*.png"))) == 1


def test_a_video_is_served_frame_by_frame(shot, tmp_path, video_bytes):
    download = tmp_path / "take3.mp4"
    download.write_bytes(video_bytes)
    node = shot.add(TYPE, file=str(download), start_frame=3, colorspace="scene_linear", **ABOUT)
    assert red_of(evaluate(shot, node, 7)) == pytest.approx(80, abs=4)
    assert evaluate(shot, node, 7).metadata["cloud/source_frame"] == 4


def test_a_missing_file_names_the_node_frame_and_file(shot, tmp_path):
    node = shot.add(TYPE, file=str(tmp_path / "nowhere.png"))
    with pytest.raises(EvaluationError) as info:
        evaluate(shot, node, 2)
    assert info.value.node == node.name and info.value.frame == 2
    assert str(tmp_path / "nowhere.png") in str(info.value)
