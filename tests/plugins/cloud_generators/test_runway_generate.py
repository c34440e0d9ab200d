"""RunwayGenerate against the local stand-in: the real runwayml SDK, only the far end is local."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import cv2
import numpy as np
import pytest

import nodecomp as nc
from nodecomp.api import CancelledError, EvaluationError
from nodecomp.engine.colour import colour_manager
from plugins.cloud_generators import plugin
from tests.plugins.cloud_generators.conftest import media_dir
from tests.plugins.cloud_generators.helpers import FAST, Progress, evaluate, red_of
from tests.plugins.cloud_generators.standin import RUNWAY_KEY

TYPE = "cloud_generators.RunwayGenerate"


def add_node(doc, **params):
    values = {"prompt": "slow push in", "seed": 7, **FAST, **params}
    return doc.add(TYPE, doc["Plate"], **values)


def error_of(doc, node, frame=1, progress=None) -> EvaluationError:
    with pytest.raises(EvaluationError) as info:
        evaluate(doc, node, frame, progress)
    return info.value


@pytest.fixture
def video(standin, video_bytes):
    standin.add_media("result.mp4", video_bytes, "video/mp4")
    return standin


# ------------------------------------------------------------------ the happy path


def test_image_to_video_sends_the_documented_request_and_serves_the_clip(video, shot):
    node = add_node(shot)
    image = evaluate(shot, node, 3)

    (create,) = video.calls("POST", "/v1/image_to_video")
    assert create.headers["Authorization"] == f"Bearer {RUNWAY_KEY}"
    assert create.headers["X-Runway-Version"] == "2024-11-06"
    body = create.body
    assert {k: body[k] for k in ("model", "promptText", "ratio", "duration", "seed")} == {
        "model": "gen4_turbo", "promptText": "slow push in", "ratio": "1280:720", "duration": 5, "seed": 7}
    header, data = body["promptImage"].split(",", 1)
    assert header == "data:image/png;base64"
    sent = cv2.imdecode(np.frombuffer(base64.b64decode(data), np.uint8), cv2.IMREAD_UNCHANGED)
    assert sent.shape == (36, 64, 3) and abs(int(sent[0, 0, 0]) - 46) <= 1  # 0.18 linear, 8-bit, no conversion

    assert image.width == 64 and image.height == 36
    assert red_of(image) == pytest.approx(40, abs=4)  # document frame 3 = source frame 2 (red 20 * 2)
    assert image.metadata["cloud/source_frame"] == 2
    assert image.metadata["cloud/prompt"] == "slow push in" and image.metadata["cloud/seed"] == 7
    assert image.metadata["cloud/task_id"] == "task-0001"


def test_the_result_is_stored_once_under_its_content_hash_with_a_record(video, shot, video_bytes):
    import hashlib

    node = add_node(shot)
    evaluate(shot, node, 1)
    folder = media_dir(shot)
    digest = hashlib.sha256(video_bytes).hexdigest()
    assert (folder / f"{digest}.mp4").read_bytes() == video_bytes
    (record_file,) = folder.glob("records/*/*.json")
    record = json.loads(record_file.read_text())
    assert record["media"] == f"{digest}.mp4" and record["sha256"] == digest
    assert record["service"] == "runway" and record["model"] == "gen4_turbo"
    assert record["arguments"] == {"prompt_text": "slow push in", "seed": 7, "ratio": "1280:720", "duration": 5}
    assert len(record["input_sha256"]) == 64 and record["task_id"] == "task-0001"
    assert record["cost"]["amount"] == 25.0 and record["cost"]["unit"] == "credits"
    assert not list(folder.glob("records/*/*.pending.json"))
    assert (folder / f"{digest}.mp4.frames" / "frame.0012.tif").is_file()


def test_every_frame_rerender_and_reopen_never_calls_the_service_again(video, shot):
    node = add_node(shot)
    reds = [red_of(evaluate(shot, node, frame)) for frame in range(1, 13)]
    assert reds == pytest.approx([20 * i for i in range(12)], abs=4)
    calls = len(video.seen)
    assert calls == len(video.service_calls()) + 1  # one download

    evaluate(shot, node, 5)  # a re-render with a fresh cache
    shot.save(shot.path)
    reopened = nc.load(shot.path, registry=shot.registry)
    assert red_of(evaluate(reopened, reopened[node.name], 7)) == pytest.approx(120, abs=4)
    assert len(video.seen) == calls


def test_parallel_frames_of_one_render_share_one_task(video, shot):
    node = add_node(shot)
    shot.add("Write", node, file=str(Path(shot.path).parent / "out" / "gen.####.exr"))
    nc.render(shot, frames="1-6", threads=4)
    assert len(video.calls("POST", "/v1/image_to_video")) == 1
    assert len(video.calls("GET", "/media/")) == 1


def test_the_document_fps_conforms_the_clip_by_nearest_source_frame(video, shot):
    shot.fps = 12.0  # half the clip's rate: every other source frame
    node = add_node(shot)
    assert red_of(evaluate(shot, node, 2)) == pytest.approx(40, abs=4)
    assert evaluate(shot, node, 4).metadata["cloud/source_frame"] == 6
    shot.fps = 25.0  # 24 fps clip in a 25 fps comp: frame 13 (0.48 s) is nearest source frame 12 (0.5 s)
    assert evaluate(shot, node, 13).metadata["cloud/source_frame"] == 11


def test_frames_outside_the_clip_hold_or_go_black(video, shot):
    node = add_node(shot, start_frame=5)
    assert evaluate(shot, node, 1).metadata["cloud/source_frame"] == 0
    assert evaluate(shot, node, 40).metadata["cloud/source_frame"] == 11
    node["outside"] = "black"
    assert float(np.abs(evaluate(shot, node, 1).pixels).max()) == 0.0
    assert float(np.abs(evaluate(shot, node, 40).pixels).max()) == 0.0
    assert evaluate(shot, node, 5).metadata["cloud/source_frame"] == 0


def test_text_to_image_is_a_hold_converted_from_srgb(standin, shot, png_bytes):
    standin.add_media("still.png", png_bytes, "image/png")
    standin.runway_media = "still.png"
    node = shot.add(TYPE, mode="text_to_image", prompt="a red barn at dusk", seed=3,
                    **{**FAST, "colorspace": "sRGB Encoded Rec.709 (sRGB)"})
    first, later = evaluate(shot, node, 1), evaluate(shot, node, 9)
    np.testing.assert_array_equal(first.pixels, later.pixels)
    (create,) = standin.calls("POST", "/v1/text_to_image")
    assert create.body["model"] == "gen4_image" and "duration" not in create.body
    assert "referenceImages" not in create.body
    # 32x18 fitted into 64x36, converted from sRGB to the working space, opaque
    assert first.data_window.width == 64 and first.data_window.height == 36
    manager = colour_manager()
    srgb = np.array([[[200, 100, 50]]], np.float32) / 255
    expected = manager.convert(srgb, "sRGB Encoded Rec.709 (sRGB)", manager.working_space, [0, 1, 2])[0, 0]
    np.testing.assert_allclose(first.pixels[10, 10, :3], expected, atol=2e-3)
    assert float(first.pixels[10, 10, 3]) == 1.0


def test_text_to_image_sends_a_connected_input_as_a_reference_image(standin, shot, png_bytes):
    standin.add_media("still.png", png_bytes, "image/png")
    standin.runway_media = "still.png"
    evaluate(shot, shot.add(TYPE, shot["Plate"], mode="text_to_image", prompt="@input at night", **FAST))
    (create,) = standin.calls("POST", "/v1/text_to_image")
    (reference,) = create.body["referenceImages"]
    assert reference["tag"] == "input" and reference["uri"].startswith("data:image/png;base64,")


def test_any_generation_param_or_the_input_changes_the_generation(video, shot):
    node = add_node(shot)
    evaluate(shot, node, 1)
    node["seed"] = 8
    evaluate(shot, node, 1)
    node["prompt"] = "slow pull out"
    evaluate(shot, node, 1)
    node["timeout"] = 6.0  # a job setting: not part of the generation
    evaluate(shot, node, 1)
    assert len(video.calls("POST", "/v1/image_to_video")) == 3
    brighter = shot.add("Grade", shot["Plate"], multiply=2.0)
    shot.connect(brighter, node, input=0)
    evaluate(shot, node, 1)
    assert len(video.calls("POST", "/v1/image_to_video")) == 4


def test_the_key_never_lands_in_the_comp_or_the_media_folder(video, shot):
    node = add_node(shot)
    evaluate(shot, node, 1)
    shot.save(shot.path)
    assert RUNWAY_KEY not in Path(shot.path).read_text()
    for path in Path(shot.path).parent.rglob("*"):
        if path.is_file():
            assert RUNWAY_KEY.encode() not in path.read_bytes(), path


# ------------------------------------------------------------------ failures


def test_moderation_refusal_is_a_clear_error_and_the_next_render_submits_anew(video, shot):
    video.runway_steps = ["PENDING", ("FAILED", ("Input text was rejected", "SAFETY.INPUT.TEXT"))]
    node = add_node(shot)
    error = error_of(shot, node, 4)
    assert error.node == node.name and error.frame == 4
    assert "content moderation refused an input" in str(error) and "SAFETY.INPUT.TEXT" in str(error)
    assert "change the prompt" in str(error)
    assert not list(media_dir(shot).glob("records/*/*.json"))  # nothing pending: the task is over
    video.runway_steps = ["SUCCEEDED"]
    evaluate(shot, node, 4)
    assert len(video.calls("POST", "/v1/image_to_video")) == 2


def test_a_rate_limit_with_retry_after_is_waited_out(video, shot):
    limited = (429, {"error": "You have exceeded your daily generation limit"}, {"Retry-After": "0.01"})
    video.submit_errors = [limited] * 4  # the SDK retries twice, then the node waits once more
    progress = Progress()
    evaluate(shot, add_node(shot), 1, progress)
    assert len(video.calls("POST", "/v1/image_to_video")) == 5
    assert "rate limited, submitting again in 0.01 s" in progress.text()


def test_a_rate_limit_longer_than_the_timeout_fails_without_submitting(video, shot):
    video.submit_errors = [(429, {"error": "Daily limit reached"}, {"Retry-After-Ms": "3600000"})] * 3
    error = error_of(shot, add_node(shot))
    assert "HTTP 429" in str(error) and "Daily limit reached" in str(error) and "3600 s" in str(error)
    assert not video.tasks and not list(media_dir(shot).glob("records/*/*"))


def test_missing_credits_are_reported_as_quota(video, shot):
    video.submit_errors = [(400, {"error": "You do not have enough credits to run this task."}, {})]
    error = error_of(shot, add_node(shot))
    assert "cannot pay for this task" in str(error) and "buy credits" in str(error)


def test_an_empty_account_stops_before_submitting(video, shot):
    video.runway_balance = 0
    error = error_of(shot, add_node(shot))
    assert "no credits left" in str(error)
    assert not video.calls("POST", "/v1/")


def test_a_bad_key_is_named_as_such(video, shot, monkeypatch):
    monkeypatch.setenv("RUNWAYML_API_SECRET", "key_wrong")
    error = error_of(shot, add_node(shot))
    assert "rejected the API key" in str(error) and "nodecomp cloud check" in str(error)
    assert "key_wrong" not in str(error)


def test_no_key_tells_how_to_add_one(video, shot, monkeypatch):
    monkeypatch.delenv("RUNWAYML_API_SECRET")
    error = error_of(shot, add_node(shot))
    assert "no Runway API key" in str(error) and "RUNWAYML_API_SECRET" in str(error)
    assert "nodecomp cloud set-key runway" in str(error)


def test_a_timeout_keeps_the_task_and_the_next_render_resumes_it(video, shot):
    video.runway_steps = ["PENDING"] * 1000
    node = add_node(shot, timeout=0.1)
    error = error_of(shot, node, 2)
    assert "gave no result within 0.1 s" in str(error) and "nothing is lost" in str(error)
    assert len(list(media_dir(shot).glob("records/*/*.pending.json"))) == 1
    video.tasks["task-0001"].steps = ["SUCCEEDED"]
    progress = Progress()
    evaluate(shot, node, 2, progress)
    assert "resuming task task-0001" in progress.text()
    assert len(video.calls("POST", "/v1/image_to_video")) == 1


def test_cancelling_keeps_the_task_for_the_next_render(video, shot):
    video.runway_steps = [("RUNNING", 0.1)] * 1000
    node = add_node(shot)
    with pytest.raises(CancelledError):
        evaluate(shot, node, 1, Progress(cancel_on="running"))
    assert not video.calls("DELETE", "/v1/tasks/")
    video.tasks["task-0001"].steps = ["SUCCEEDED"]
    evaluate(shot, node, 1)
    assert len(video.calls("POST", "/v1/image_to_video")) == 1


def test_cancel_remote_cancels_the_task_at_the_service(video, shot):
    video.runway_steps = [("RUNNING", 0.1)] * 1000
    node = add_node(shot, cancel_remote=True)
    with pytest.raises(CancelledError):
        evaluate(shot, node, 1, Progress(cancel_on="running"))
    assert [c.path for c in video.calls("DELETE", "/v1/tasks/")] == ["/v1/tasks/task-0001"]
    assert not list(media_dir(shot).glob("records/*/*.json"))


def test_an_expired_result_url_is_fetched_again(video, shot):
    video.expired_urls = 1
    progress = Progress()
    image = evaluate(shot, add_node(shot), 2, progress)
    assert "result URL expired (the result URL answered HTTP 403)" in progress.text()
    assert red_of(image) == pytest.approx(20, abs=4)


def test_a_result_the_service_no_longer_holds_is_a_clear_error(video, shot):
    video.expired_urls = 2
    error = error_of(shot, add_node(shot))
    assert "can no longer be downloaded" in str(error) and "no longer holds it" in str(error)


def test_a_task_over_max_credits_is_cancelled_at_once(video, shot):
    error = error_of(shot, add_node(shot, max_credits=10))
    assert "estimates 25 credits, over the node's limit of 10" in str(error)
    assert [c.path for c in video.calls("DELETE", "/v1/tasks/")] == ["/v1/tasks/task-0001"]
    assert not video.calls("GET", "/v1/tasks/")


def test_image_to_video_without_an_input_says_so(video, shot):
    node = shot.add(TYPE, prompt="x", **FAST)
    assert "needs an input frame" in str(error_of(shot, node))
    assert not video.seen


# ------------------------------------------------------------------ the media folder is the truth


def test_a_missing_media_file_is_an_error_not_a_new_charge(video, shot):
    node = add_node(shot)
    evaluate(shot, node, 1)
    (media,) = media_dir(shot).glob("*.mp4")
    media.rename(media.with_suffix(".moved"))
    calls = len(video.seen)
    error = error_of(shot, node, 1)
    assert "missing" in str(error) and str(media) in str(error) and "restore it" in str(error)
    assert len(video.seen) == calls


def test_a_replaced_media_file_changes_the_cache_key(video, shot):
    from nodecomp.engine.evaluator import Evaluator

    node = add_node(shot)
    evaluator = Evaluator(shot)
    evaluator.evaluate(node, 1)
    before = evaluator.hash(node, 1)
    (media,) = media_dir(shot).glob("*.mp4")
    media.touch()
    assert Evaluator(shot).hash(node, 1) != before


def test_the_plugin_is_what_the_document_uses(shot):
    assert shot.registry.get(TYPE) is plugin.node_types[0]


def test_a_locked_node_never_submits_but_serves_what_is_there(video, shot):
    node = add_node(shot, allow_submit=False)
    error = error_of(shot, node)
    assert "allow_submit is off" in str(error) and not video.seen
    node["allow_submit"] = True
    evaluate(shot, node, 1)
    node["allow_submit"] = False
    calls = len(video.seen)
    assert red_of(evaluate(shot, node, 2)) == pytest.approx(20, abs=4)
    assert len(video.seen) == calls
