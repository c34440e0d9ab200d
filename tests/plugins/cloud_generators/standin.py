"""A local stand-in for Runway's API, fal.ai's queue and pricing APIs, and their media hosts.

It answers with the request and response shapes the SDKs' own types describe
(`runwayml.types.*`, `fal_client.client` status parsing), over HTTPS on 127.0.0.1 with a
throw-away CA (fal-client only speaks https to its queue host). Each test scripts what the next
task does (states per poll, a failure, an error on submit) and reads back what was asked.
"""

from __future__ import annotations

import itertools
import json
import threading
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

from werkzeug import Request, Response

RUNWAY_KEY = "key_runway_0123456789abcdef"
FAL_KEY = "fal-key-id:fal-key-secret-0123456789"
CREATED_AT = "2026-11-27T10:00:00.000Z"


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class Task:
    """A task (Runway) or queued request (fal) and its script of poll answers."""

    id: str
    kind: str
    body: Any
    steps: list[Any]
    media: str
    polls: int = 0
    cancelled: bool = False
    fresh_urls: int = 0


@dataclass
class StandIn:
    """The stand-in's state; `dispatch` is the werkzeug handler."""

    base: str
    seen: list[Seen] = field(default_factory=list)
    media: dict[str, tuple[bytes, str]] = field(default_factory=dict)
    tasks: dict[str, Task] = field(default_factory=dict)
    # scripting
    runway_steps: list[Any] = field(default_factory=lambda: ["PENDING", ("RUNNING", 0.5), "SUCCEEDED"])
    runway_media: str = "result.mp4"
    runway_estimate: float = 25.0
    runway_balance: int = 5000
    submit_errors: list[tuple[int, Any, dict[str, str]]] = field(default_factory=list)
    fal_steps: list[Any] = field(default_factory=lambda: [("IN_QUEUE", 2), "IN_PROGRESS", "COMPLETED"])
    fal_media: str = "result.mp4"
    fal_result_error: tuple[int, Any] | None = None
    fal_price: tuple[float, str] = (0.056, "second")
    expired_urls: int = 0  # this many next media URLs answer 403 as expired
    _ids: Any = field(default_factory=lambda: itertools.count(1))
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # -------------------------------------------------------------- helpers
    def calls(self, method: str, prefix: str) -> list[Seen]:
        """Requests with this method whose path starts with `prefix`."""
        return [s for s in self.seen if s.method == method and s.path.startswith(prefix)]

    def service_calls(self) -> list[Seen]:
        """Every request to the APIs (not to the media host)."""
        return [s for s in self.seen if not s.path.startswith("/media/")]

    def add_media(self, name: str, data: bytes, content_type: str) -> None:
        """Serve `data` at /media/<name>."""
        self.media[name] = (data, content_type)

    def _url(self, name: str, task: Task) -> str:
        task.fresh_urls += 1
        token = f"{task.id}-{task.fresh_urls}"
        if self.expired_urls > 0:
            self.expired_urls -= 1
            token = f"expired-{token}"
        return f"{self.base}/media/{name}?token={token}"

    # -------------------------------------------------------------- dispatch
    def dispatch(self, request: Request) -> Response:
        """Route one request."""
        body: Any = None
        if request.data:
            try:
                body = json.loads(request.data)
            except ValueError:
                body = request.data
        with self._lock:
            self.seen.append(Seen(request.method, request.path, parse_qs(request.query_string.decode()),
                                  dict(request.headers), body))
            path = request.path
            if path.startswith("/media/"):
                return self._media(request)
            if path == "/v1/models/pricing":
                return self._fal_pricing(request)
            if path.startswith("/v1/"):
                return self._runway(request, body)
            return self._fal(request, body)

    def _media(self, request: Request) -> Response:
        name = request.path.removeprefix("/media/")
        token = request.args.get("token", "")
        if token.startswith("expired-"):
            return Response("<Error><Code>AccessDenied</Code><Message>Request has expired</Message></Error>",
                            status=403, content_type="application/xml")
        if name not in self.media:
            return Response("not found", status=404)
        data, content_type = self.media[name]
        return Response(data, status=200, content_type=content_type)

    # ---------------------------------------------------------------- Runway
    def _runway(self, request: Request, body: Any) -> Response:
        if request.headers.get("Authorization") != f"Bearer {RUNWAY_KEY}":
            return _json({"error": "Invalid API secret"}, 401)
        if not request.headers.get("X-Runway-Version"):
            return _json({"error": "X-Runway-Version header is required"}, 400)
        path, method = request.path, request.method
        if path == "/v1/organization" and method == "GET":
            return _json({"creditBalance": self.runway_balance,
                          "tier": {"maxMonthlyCreditSpend": 10000,
                                   "models": {"gen4_turbo": {"maxConcurrentGenerations": 2,
                                                             "maxDailyGenerations": 200}}},
                          "usage": {"models": {"gen4_turbo": {"dailyGenerations": 12}}}})
        if method == "POST" and path in ("/v1/image_to_video", "/v1/text_to_image", "/v1/text_to_video"):
            if self.submit_errors:
                status, payload, headers = self.submit_errors.pop(0)
                return _json(payload, status, headers)
            task = Task(id=f"task-{next(self._ids):04d}", kind=path, body=body, steps=list(self.runway_steps),
                        media=self.runway_media)
            self.tasks[task.id] = task
            return _json({"id": task.id, "estimatedCost": {"credits": self.runway_estimate}})
        if path.startswith("/v1/tasks/"):
            task = self.tasks.get(path.removeprefix("/v1/tasks/"))
            if task is None:
                return _json({"error": "Task not found"}, 404)
            if method == "DELETE":
                task.cancelled = True
                return Response(status=204)
            return _json(self._runway_task(task))
        return _json({"error": f"no route {method} {path}"}, 404)

    def _runway_task(self, task: Task) -> dict[str, Any]:
        step = task.steps[min(task.polls, len(task.steps) - 1)]
        task.polls += 1
        base = {"id": task.id, "createdAt": CREATED_AT}
        if task.cancelled:
            return {**base, "status": "CANCELLED", "cost": {"credits": 0}}
        state, extra = (step, None) if isinstance(step, str) else (step[0], step[1])
        if state in ("PENDING", "THROTTLED"):
            return {**base, "status": state, "estimatedCost": {"credits": self.runway_estimate}}
        if state == "RUNNING":
            return {**base, "status": "RUNNING", "progress": extra, "estimatedCost": {"credits": self.runway_estimate}}
        if state == "FAILED":
            failure, code = extra
            return {**base, "status": "FAILED", "failure": failure, "failureCode": code, "cost": {"credits": 0}}
        return {**base, "status": "SUCCEEDED", "cost": {"credits": int(self.runway_estimate)},
                "output": [self._url(task.media, task)]}

    # ------------------------------------------------------------------- fal
    def _fal_pricing(self, request: Request) -> Response:
        if request.headers.get("Authorization") != f"Key {FAL_KEY}":
            return _json({"detail": "Invalid credentials"}, 401)
        endpoint = request.args.get("endpoint_id", "")
        price, unit = self.fal_price
        return _json({"prices": [{"endpoint_id": endpoint, "unit_price": price, "unit": unit, "currency": "USD"}],
                      "next_cursor": None, "has_more": False})

    def _fal(self, request: Request, body: Any) -> Response:
        if request.headers.get("Authorization") != f"Key {FAL_KEY}":
            return _json({"detail": "Invalid credentials"}, 401)
        path, method = request.path.strip("/"), request.method
        parts = path.split("/")
        if method == "POST":
            if self.submit_errors:
                status, payload, headers = self.submit_errors.pop(0)
                return _json(payload, status, headers)
            owner, alias = parts[0], parts[1]
            request_id = f"req-{next(self._ids):04d}"
            task = Task(id=request_id, kind=path, body=body, steps=list(self.fal_steps), media=self.fal_media)
            self.tasks[request_id] = task
            url = f"{self.base}/{owner}/{alias}/requests/{request_id}"
            return _json({"request_id": request_id, "response_url": url, "status_url": f"{url}/status",
                          "cancel_url": f"{url}/cancel", "queue_position": 0})
        if len(parts) >= 4 and parts[2] == "requests":
            task = self.tasks.get(parts[3])
            if task is None:
                return _json({"detail": "Request not found"}, 404)
            tail = parts[4] if len(parts) > 4 else ""
            if tail == "cancel" and method == "PUT":
                task.cancelled = True
                return _json({"status": "CANCELLATION_REQUESTED"}, 202)
            if tail == "status":
                step = task.steps[min(task.polls, len(task.steps) - 1)]
                task.polls += 1
                state, extra = (step, None) if isinstance(step, str) else step
                if state == "IN_QUEUE":
                    return _json({"status": "IN_QUEUE", "queue_position": extra, "response_url": ""})
                if state == "IN_PROGRESS":
                    return _json({"status": "IN_PROGRESS", "logs": [{"message": "Generating video",
                                                                      "level": "INFO", "source": "user",
                                                                      "timestamp": CREATED_AT}]})
                return _json({"status": "COMPLETED", "logs": [], "metrics": {"inference_time": 42.0}})
            if tail == "" and method == "GET":
                if self.fal_result_error is not None:
                    status, payload = self.fal_result_error
                    return _json(payload, status, {"x-fal-request-id": task.id})
                data, content_type = self.media[task.media]
                return _json({"video": {"url": self._url(task.media, task), "content_type": content_type,
                                        "file_name": "output.mp4", "file_size": len(data)}})
        return _json({"detail": f"no route {method} /{path}"}, 404)


def _json(payload: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(payload), status=status, content_type="application/json", headers=headers or {})
