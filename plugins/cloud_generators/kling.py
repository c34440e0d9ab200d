"""Kling video models through fal.ai's official Python client (`fal-client`).

Why fal.ai: Kuaishou's own Kling API has no official Python client on PyPI (the packages
named after Kling there are third-party or reverse-engineered wrappers), while fal.ai hosts
Kling as a launch partner and publishes `fal-client`, a maintained client with a documented
queue protocol (submit, status, result, cancel), typed errors and per-model pricing. Another
host or the vendor's own API can be added as another `Service` without touching the nodes.

Queue protocol, as `fal_client.SyncClient` speaks it: `POST https://{FAL_QUEUE_RUN_HOST}/
<endpoint>` answers `request_id`, `status_url`, `response_url`, `cancel_url`; `GET
.../requests/{id}/status` answers `IN_QUEUE` (with `queue_position`), `IN_PROGRESS` or
`COMPLETED`; `GET .../requests/{id}` answers the result (`{"video": {"url": ...}}`) or the
model's error (HTTP 422 with typed `detail` entries such as `content_policy_violation`).
`FAL_QUEUE_RUN_HOST` (default `queue.fal.run`) is read once, when fal-client is first imported.

Cost: before submitting, the node asks fal's platform API for the endpoint's unit price
(`GET https://api.fal.ai/v1/models/pricing?endpoint_id=...`; `NODECOMP_FAL_PLATFORM_URL`
overrides the base) and multiplies it by the duration when the unit is seconds of video.

Seed: Kling's API on fal takes no seed. The node's seed is still part of the cache key, so a
new seed asks for a new take of the same settings.
"""

from __future__ import annotations

import os
from typing import Any

from plugins.cloud_generators import keys
from plugins.cloud_generators.errors import CloudError, Failure, missing_package
from plugins.cloud_generators.request import GenerationRequest
from plugins.cloud_generators.service import AccountReport, Estimate, State, Status, Task

DEFAULT_ENDPOINTS = {
    "image_to_video": "fal-ai/kling-video/v2.1/standard/image-to-video",
    "text_to_video": "fal-ai/kling-video/v2.1/master/text-to-video",
}
OPERATIONS = tuple(DEFAULT_ENDPOINTS)
PLATFORM_URL = "https://api.fal.ai/v1"
PLATFORM_VARIABLE = "NODECOMP_FAL_PLATFORM_URL"
PER_SECOND_UNITS = frozenset({"second", "seconds", "video_second", "video_seconds", "s"})
PER_VIDEO_UNITS = frozenset({"video", "videos", "request", "requests", "generation", "generations"})


def arguments(operation: str, prompt: str, negative_prompt: str, cfg_scale: float, duration: str,
              aspect_ratio: str, seed: int) -> dict[str, Any]:
    """Arguments for the cache key; `take` (the seed) is not sent."""
    out: dict[str, Any] = {"prompt": prompt, "duration": str(duration), "negative_prompt": negative_prompt,
                           "cfg_scale": float(cfg_scale), "take": int(seed)}
    if operation == "text_to_video":
        out["aspect_ratio"] = aspect_ratio
    return out


def sent_arguments(request: GenerationRequest) -> dict[str, Any]:
    """What is POSTed: the arguments without `take`, plus the image as a data URI."""
    body = {k: v for k, v in request.arguments.items() if k != "take"}
    if request.operation == "image_to_video":
        body["image_url"] = request.data_uri()
    return body


def _sdk() -> Any:
    try:
        import fal_client
    except ImportError:
        raise missing_package("fal-client", "fal_client") from None
    return fal_client


class KlingService:
    """Kling on fal.ai as the runner drives it."""

    name = "kling"
    label = "Kling"

    def __init__(self, key: keys.FoundKey | None = None) -> None:
        self._key = key
        self._client_instance: Any = None

    def _found_key(self) -> keys.FoundKey:
        if self._key is None:
            self._key = keys.require(self.name)
        return self._key

    def _client(self) -> Any:
        if self._client_instance is None:
            self._client_instance = _sdk().SyncClient(key=self._found_key().value)
        return self._client_instance

    # ----------------------------------------------------------------- tasks
    def unit_price(self, endpoint: str) -> tuple[float, str, str]:
        """(price, unit, currency) of an endpoint from fal's platform API.

        Raises:
            CloudError: AUTH for a rejected key, else FAILED/NETWORK.
        """
        try:
            import httpx
        except ImportError:
            raise missing_package("httpx", "httpx") from None
        base = os.environ.get(PLATFORM_VARIABLE, "").strip() or PLATFORM_URL
        try:
            response = httpx.get(f"{base.rstrip('/')}/models/pricing", params={"endpoint_id": endpoint},
                                 headers={"Authorization": f"Key {self._found_key().value}"}, timeout=30.0)
        except httpx.HTTPError as exc:
            raise CloudError(Failure.NETWORK, f"fal.ai's pricing API could not be reached ({exc})") from None
        if response.status_code in (401, 403):
            raise CloudError(Failure.AUTH, f"fal.ai rejected the API key (HTTP {response.status_code}: "
                                           f"{_detail_text(response)})",
                             hint="check the key with `nodecomp cloud check kling`")
        if response.status_code >= 400:
            raise CloudError(Failure.FAILED, f"fal.ai's pricing API answered HTTP {response.status_code}")
        try:
            price = response.json()["prices"][0]
            return float(price["unit_price"]), str(price["unit"]), str(price.get("currency", "USD"))
        except (ValueError, KeyError, IndexError, TypeError):
            raise CloudError(Failure.FAILED, f"fal.ai has no price for {endpoint}") from None

    def estimate(self, request: GenerationRequest) -> Estimate:
        """Unit price x seconds (or per video), from fal's pricing API; no estimate when that fails."""
        try:
            price, unit, currency = self.unit_price(request.model)
        except CloudError as exc:
            if exc.failure is Failure.AUTH:
                raise
            return Estimate(None, "USD", f"no estimate before submitting ({exc.reason})")
        seconds = float(request.arguments.get("duration", 0) or 0)
        if unit.lower() in PER_SECOND_UNITS and seconds:
            return Estimate(price * seconds, currency,
                            f"fal.ai unit price {price:g} {currency} per second x {seconds:g} s")
        if unit.lower() in PER_VIDEO_UNITS:
            return Estimate(price, currency, f"fal.ai price per {unit}")
        return Estimate(None, currency, f"fal.ai charges {price:g} {currency} per {unit}; no total computed")

    def submit(self, request: GenerationRequest) -> Task:
        """Queue the request; the handle's request id is what a later render resumes."""
        try:
            handle = self._client().submit(request.model, arguments=sent_arguments(request))
        except Exception as exc:  # noqa: BLE001 - every client error becomes a CloudError
            raise _mapped(exc, "submitting") from None
        return Task(id=str(handle.request_id), data={"endpoint": request.model})

    def _handle(self, task: Task) -> Any:
        return self._client().get_handle(str(task.data.get("endpoint", "")), task.id)

    def status(self, task: Task) -> Status:
        """Queue status; a completed request is fetched, which raises the model's error if it failed."""
        sdk = _sdk()
        try:
            status = self._handle(task).status(with_logs=True)
        except Exception as exc:  # noqa: BLE001 - mapped
            raise _mapped(exc, f"polling request {task.id}") from None
        if isinstance(status, sdk.Queued):
            return Status(State.QUEUED, message=f"position {status.position} in fal.ai's queue")
        if isinstance(status, sdk.InProgress):
            logs = status.logs or []
            last = str(logs[-1].get("message", "")) if logs and isinstance(logs[-1], dict) else ""
            return Status(State.RUNNING, message=last)
        return Status(State.SUCCEEDED, 1.0, outputs=self.outputs(task))

    def outputs(self, task: Task) -> tuple[str, ...]:
        """The result's video URL (fetched again, so a fresh copy of the result is used)."""
        try:
            result = self._client().result(str(task.data.get("endpoint", "")), task.id)
        except Exception as exc:  # noqa: BLE001 - mapped
            raise _mapped(exc, f"fetching the result of request {task.id}") from None
        video = result.get("video") if isinstance(result, dict) else None
        url = video.get("url") if isinstance(video, dict) else None
        if not url:
            raise CloudError(Failure.FAILED, f"fal.ai request {task.id} finished without a video URL")
        return (str(url),)

    def cancel(self, task: Task) -> None:
        """PUT the request's cancel URL."""
        try:
            self._handle(task).cancel()
        except Exception as exc:  # noqa: BLE001 - mapped
            raise _mapped(exc, f"cancelling request {task.id}") from None

    # --------------------------------------------------------------- account
    def check_account(self) -> AccountReport:
        """The pricing API answers only to a valid key: that, and today's Kling prices, is the check."""
        lines = []
        try:
            for operation, endpoint in DEFAULT_ENDPOINTS.items():
                price, unit, currency = self.unit_price(endpoint)
                lines.append(f"{operation} ({endpoint}): {price:g} {currency} per {unit}")
        except CloudError as exc:
            return AccountReport(False, (str(exc),))
        return AccountReport(True, ("key accepted by fal.ai", *lines))


def _detail_text(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return str(getattr(response, "text", ""))[:200]
    detail = body.get("detail") if isinstance(body, dict) else body
    return _detail_message(detail)


def _detail_message(detail: Any) -> str:
    if isinstance(detail, list):
        parts = []
        for entry in detail:
            if isinstance(entry, dict):
                where = ".".join(str(p) for p in entry.get("loc", ()) if p != "body")
                parts.append(f"{where}: {entry.get('msg', '')}" if where else str(entry.get("msg", "")))
            else:
                parts.append(str(entry))
        return "; ".join(parts)
    return str(detail)


def _mapped(exc: BaseException, doing: str) -> CloudError:
    """A fal-client (or httpx) exception as a CloudError."""
    sdk = _sdk()
    import httpx

    if isinstance(exc, sdk.FalClientTimeoutError):
        return CloudError(Failure.TIMEOUT, f"fal.ai timed out {doing} ({exc})", hint="render again to resume")
    if isinstance(exc, httpx.TimeoutException):
        return CloudError(Failure.TIMEOUT, f"fal.ai did not answer in time while {doing}",
                          hint="render again to resume")
    if isinstance(exc, httpx.TransportError):
        return CloudError(Failure.NETWORK, f"fal.ai could not be reached while {doing} ({type(exc).__name__})",
                          hint="check the network (and FAL_QUEUE_RUN_HOST if set), then render again")
    if not isinstance(exc, sdk.FalClientHTTPError):
        if isinstance(exc, sdk.FalClientError):
            return CloudError(Failure.FAILED, f"fal.ai client error while {doing}: {exc}")
        raise exc
    code = exc.status_code
    detail = _detail_message(exc.message)
    types = {entry.get("type") for entry in exc.message if isinstance(entry, dict)} \
        if isinstance(exc.message, list) else set()
    if code == 401:
        return CloudError(Failure.AUTH, f"fal.ai rejected the API key (HTTP 401: {detail})",
                          hint="check the key with `nodecomp cloud check kling`")
    if code == 403 and ("balance" in detail.lower() or "locked" in detail.lower()):
        return CloudError(Failure.QUOTA, f"the fal.ai account cannot pay (HTTP 403: {detail})",
                          hint="top up the balance in fal.ai's billing dashboard, then render again")
    if code == 403:
        return CloudError(Failure.AUTH, f"fal.ai refused access (HTTP 403: {detail})")
    if code == 429:
        retry = exc.response_headers.get("retry-after") if exc.response_headers else None
        seconds = _seconds(retry)
        return CloudError(Failure.RATE_LIMIT, f"fal.ai rate limit or concurrency limit reached (HTTP 429: {detail})",
                          hint="render again later", retry_after=seconds)
    if "content_policy_violation" in types or exc.error_type == "content_policy_violation":
        return CloudError(Failure.MODERATION, f"Kling's content checker refused the request ({detail})",
                          hint="change the prompt or the input frame; the same request fails the same way")
    if code == 404:
        return CloudError(Failure.EXPIRED, f"fal.ai no longer knows request while {doing} (HTTP 404: {detail})",
                          hint="render again to generate it anew (a new request, a new charge)")
    if code in (408, 504) or exc.error_type in ("request_timeout", "startup_timeout", "generation_timeout"):
        return CloudError(Failure.FAILED, f"the Kling generation timed out at fal.ai (HTTP {code}: {detail})",
                          hint="render again to retry with a new request")
    if code < 500:
        return CloudError(Failure.INVALID, f"fal.ai rejected the request (HTTP {code}: {detail})",
                          hint="check the endpoint, duration, aspect ratio and input frame")
    return CloudError(Failure.FAILED, f"fal.ai answered HTTP {code} while {doing} ({detail})",
                      hint="a service problem: render again later")


def _seconds(value: str | None) -> float | None:
    try:
        return max(0.0, float(value)) if value is not None else None
    except ValueError:
        return None
