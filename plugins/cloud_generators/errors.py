"""What can go wrong when a hosted model makes a shot's material, in words a compositor can act on.

Every failure a service really produces (a rate limit, a refusal by its content moderation, a
timeout, an expired result URL, an empty account) becomes one `CloudError` with a `Failure`
kind, a one-sentence reason and a hint. Nodes turn it into `ctx.error(...)`, which adds the node
and the frame; the command line prints it as is.
"""

from __future__ import annotations

from enum import StrEnum

from nodecomp.api import EvaluationError


class Failure(StrEnum):
    """Kinds of failure; what the node and the CLI do next depends on the kind."""

    NO_KEY = "no key"
    AUTH = "key rejected"
    RATE_LIMIT = "rate limited"
    QUOTA = "out of credits or quota"
    MODERATION = "refused by content moderation"
    INVALID = "request rejected"
    TIMEOUT = "timed out"
    EXPIRED = "result expired"
    FAILED = "generation failed"
    NETWORK = "service unreachable"
    MISSING_PACKAGE = "package missing"
    COST = "over the cost limit"
    MISSING_MEDIA = "generated media missing"
    LOCKED = "submitting is off"


# Failures after which the service's task is over: the next render submits a new one.
TERMINAL = frozenset({Failure.MODERATION, Failure.INVALID, Failure.FAILED, Failure.EXPIRED, Failure.COST})


class CloudError(EvaluationError):
    """A service call that did not give a result.

    Args:
        failure: the kind of failure.
        reason: one sentence; the service's own words are quoted where they help.
        hint: what to do about it.
        retry_after: seconds the service asked to wait (rate limits), when it said.
        path: a file involved (the media file, the record).
    """

    def __init__(
        self,
        failure: Failure,
        reason: str,
        *,
        hint: str | None = None,
        retry_after: float | None = None,
        path: str | None = None,
    ) -> None:
        self.failure = failure
        self.retry_after = retry_after
        super().__init__(reason, path=path, hint=hint)


def missing_package(package: str, module: str) -> CloudError:
    """The error for an optional package that is not installed."""
    return CloudError(
        Failure.MISSING_PACKAGE,
        f"the {package} package is not installed (module {module})",
        hint="pip install 'nodecomp[cloud]'",
    )
