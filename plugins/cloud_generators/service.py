"""What the job runner needs from a hosted model service; `runway.py` and `kling.py` provide it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

from plugins.cloud_generators.request import GenerationRequest


class State(StrEnum):
    """Where a submitted task is."""

    QUEUED = "queued"
    THROTTLED = "throttled"
    RUNNING = "running"
    SUCCEEDED = "succeeded"


@dataclass(frozen=True)
class Estimate:
    """A cost estimate, or why there is none.

    Attributes:
        amount: the estimate, None when the service gives none at this point.
        unit: `credits` (Runway) or a currency code (`USD` on fal.ai).
        note: one line for the user: where the number comes from, or why there is none.
    """

    amount: float | None
    unit: str
    note: str

    def text(self) -> str:
        """`~25 credits (...)` or the note alone."""
        if self.amount is None:
            return self.note
        number = f"{self.amount:.3f}".rstrip("0").rstrip(".") if self.unit != "credits" else f"{self.amount:g}"
        return f"{number} {self.unit} ({self.note})"

    def to_json(self) -> dict[str, Any]:
        """The estimate as stored in records."""
        return {"amount": self.amount, "unit": self.unit, "note": self.note}


@dataclass(frozen=True)
class Task:
    """A submitted task: its id, what is needed to resume it, and the cost the service reported."""

    id: str
    data: Mapping[str, Any] = field(default_factory=dict)
    estimate: Estimate | None = None

    def to_json(self) -> dict[str, Any]:
        """What a pending record stores."""
        out: dict[str, Any] = {"task_id": self.id, "task": dict(self.data)}
        if self.estimate is not None:
            out["estimate"] = self.estimate.to_json()
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Task:
        """The task of a pending record."""
        estimate = data.get("estimate")
        return cls(id=str(data["task_id"]), data=dict(data.get("task") or {}),
                   estimate=Estimate(**estimate) if isinstance(estimate, dict) else None)


@dataclass(frozen=True)
class Status:
    """One poll's answer."""

    state: State
    progress: float | None = None
    message: str = ""
    outputs: tuple[str, ...] = ()


@dataclass(frozen=True)
class AccountReport:
    """What `nodecomp cloud check` prints for one service."""

    ok: bool
    lines: tuple[str, ...]


class Service(Protocol):
    """A hosted generation service as the runner drives it. Methods raise `CloudError`."""

    name: str
    label: str

    def estimate(self, request: GenerationRequest) -> Estimate:
        """The cost before submitting, or an Estimate with amount None and the reason."""
        ...

    def submit(self, request: GenerationRequest) -> Task:
        """Start a task."""
        ...

    def status(self, task: Task) -> Status:
        """Poll a task; a failed, refused or vanished task raises."""
        ...

    def outputs(self, task: Task) -> tuple[str, ...]:
        """Fresh result URLs of a finished task (after a URL expired)."""
        ...

    def cancel(self, task: Task) -> None:
        """Cancel a task at the service."""
        ...

    def check_account(self) -> AccountReport:
        """Whether the key works, with what the account holds."""
        ...
