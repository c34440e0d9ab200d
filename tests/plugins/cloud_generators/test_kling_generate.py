"""KlingGenerate against the local stand-in: the real fal-client over HTTPS, only the far end is local."""

from __future__ import annotations

from pathlib import Path

import pytest

from nodecomp.api import CancelledError, EvaluationError
from tests.plugins.cloud_generators.conftest import media_dir
from tests.plugins.cloud_generators.helpers import FAST, Progress, evaluate, red_of
from tests.plugins.cloud_generators.standin import FAL_KEY

TYPE = "cloud_generators.KlingGenerate"
I2V = "/fal-ai/kling-video/v2.1/standard/image-to-video"


def add_node(doc, **params):
    return doc.add(TYPE, doc["Plate"], **{"prompt": "leaves drift past", **FAST, **params})


def error_of(doc, node, frame=1, progress=None) -> EvaluationError:
    with pytest.raises(EvaluationError) as info:
        evaluate(doc, node, frame, progress)
    return info.value


@pytest.fixture
def video(standin, video_bytes):
    standin.add_media("result.mp4", video_bytes, "video/mp4")
    return standin


def test_image_to_video_goes_through_fals_queue_and_serves_the_clip(video, shot):
    node = add_node(shot)
    progress = Progress()
    image = evaluate(shot, node, 4, progress)

    (submit,) = video.calls("POST", I2V)
    assert submit.headers["Authorization"] == f"Key {FAL_KEY}"
    assert submit.body["prompt"] == "leaves drift past" and submit.body["duration"] == "5"
    assert submit.body["negative_prompt"] == "blur, distort, and low quality" and submit.body["cfg_scale"] == 0.5
    assert submit.body["image_url"].startswith("data:image/png;base64,")
    assert "take" not in submit.body and "seed" not in submit.body  # Kling takes no seed
    statuses = video.calls("GET", "/fal-ai/kling-video/requests/req-0001/status")
    assert len(statuses) >= 3
    assert red_of(image) == pytest.approx(60, abs=4)
    assert image.metadata["cloud/service"] == "kling" and image.metadata["cloud/prompt"] == "leaves drift past"

    text = progress.text()
    assert "estimate before submitting: 0.28 USD (fal.ai unit price 0.056 USD per second x 5 s)" in text
    assert "position 2 in fal.ai's queue" in text and "running, Generating video" in text
    (pricing,) = video.calls("GET", "/v1/models/pricing")
    assert pricing.query["endpoint_id"] == ["fal-ai/kling-video/v2.1/standard/image-to-video"]


def test_text_to_video_sends_the_aspect_ratio_and_no_image(video, shot):
    evaluate(shot, shot.add(TYPE, mode="text_to_video", prompt="a storm front", aspect_ratio="9:16", **FAST))
    (submit,) = video.calls("POST", "/fal-ai/kling-video/v2.1/master/text-to-video")
    assert submit.body["aspect_ratio"] == "9:16" and "image_url" not in submit.body


def test_a_new_seed_is_a_new_take_and_an_old_one_is_cached(video, shot):
    node = add_node(shot)
    evaluate(shot, node, 1)
    node["seed"] = 1
    evaluate(shot, node, 1)
    node["seed"] = 0
    evaluate(shot, node, 1)
    assert len(video.calls("POST", I2V)) == 2


def test_over_max_cost_nothing_is_submitted(video, shot):
    error = error_of(shot, add_node(shot, max_cost_usd=0.1))
    assert "Kling estimates 0.28 USD, over the node's limit of 0.1 (nothing was submitted)" in str(error)
    assert not video.calls("POST", "/fal-ai/")


def test_a_content_policy_refusal_is_a_moderation_error(video, shot):
    video.fal_result_error = (422, {"detail": [{
        "loc": ["body", "prompt"], "msg": "The content was flagged by a content checker.",
        "type": "content_policy_violation", "url": "https://docs.fal.ai/errors#content_policy_violation",
        "input": "leaves drift past"}]})
    node = add_node(shot)
    error = error_of(shot, node, 2)
    assert error.node == node.name and error.frame == 2
    assert "content checker refused the request (prompt: The content was flagged by a content checker.)" in str(error)
    assert not list(media_dir(shot).glob("records/*/*.json"))


def test_an_exhausted_balance_is_reported_as_quota(video, shot):
    video.submit_errors = [(403, {"detail": "User is locked. Reason: Exhausted balance. Top up your balance at "
                                            "fal.ai/dashboard/billing."}, {})]
    error = error_of(shot, add_node(shot))
    assert "cannot pay" in str(error) and "Exhausted balance" in str(error) and "top up" in str(error)


def test_a_429_on_submit_is_retried_by_fal_client(video, shot):
    video.submit_errors = [(429, {"detail": "Too many concurrent requests"}, {})]
    evaluate(shot, add_node(shot))
    assert len(video.calls("POST", I2V)) == 2


def test_a_timeout_keeps_the_request_and_the_next_render_resumes_it(video, shot):
    video.fal_steps = [("IN_QUEUE", 5)] * 1000
    node = add_node(shot, timeout=0.1)
    assert "gave no result within 0.1 s" in str(error_of(shot, node))
    video.tasks["req-0001"].steps = ["COMPLETED"]
    progress = Progress()
    evaluate(shot, node, 1, progress)
    assert "resuming task req-0001" in progress.text()
    assert len(video.calls("POST", I2V)) == 1


def test_cancel_remote_puts_the_cancel_url(video, shot):
    video.fal_steps = ["IN_PROGRESS"] * 1000
    node = add_node(shot, cancel_remote=True)
    with pytest.raises(CancelledError):
        evaluate(shot, node, 1, Progress(cancel_on="running"))
    assert [c.path for c in video.calls("PUT", "/fal-ai/")] == ["/fal-ai/kling-video/requests/req-0001/cancel"]


def test_a_rejected_key_is_named(video, shot, monkeypatch):
    monkeypatch.setenv("FAL_KEY", "fal-wrong-key-123")
    error = error_of(shot, add_node(shot))
    assert "fal.ai rejected the API key" in str(error) and "fal-wrong-key-123" not in str(error)


def test_the_key_never_lands_in_the_comp_or_the_media_folder(video, shot):
    evaluate(shot, add_node(shot), 1)
    shot.save(shot.path)
    for path in Path(shot.path).parent.rglob("*"):
        if path.is_file():
            assert FAL_KEY.encode() not in path.read_bytes(), path


def test_an_expired_result_url_is_fetched_again(video, shot):
    video.expired_urls = 1
    progress = Progress()
    assert red_of(evaluate(shot, add_node(shot), 3, progress)) == pytest.approx(40, abs=4)
    assert "result URL expired" in progress.text()
    assert len(video.calls("GET", "/fal-ai/kling-video/requests/req-0001")) >= 2  # the result fetched again
