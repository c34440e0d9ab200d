"""Polling back-off and cancellable waits."""

from __future__ import annotations

import itertools
import time

import pytest

from nodecomp.api import CancelledError
from nodecomp.engine.context import CancelToken
from plugins.cloud_generators.runner import PollPolicy, wait


class Reporter:
    def __init__(self):
        self.token = CancelToken()

    def progress(self, fraction, message=""):
        self.token.check()

    def check_cancelled(self):
        self.token.check()


def test_polls_back_off_to_the_maximum():
    delays = list(itertools.islice(PollPolicy(first=2.0, maximum=10.0, factor=1.5).delays(), 6))
    assert delays == [2.0, 3.0, 4.5, 6.75, 10.0, 10.0]


def test_a_wait_stops_at_once_when_cancelled():
    reporter = Reporter()
    reporter.token.cancel()
    start = time.monotonic()
    with pytest.raises(CancelledError):
        wait(30.0, reporter)
    assert time.monotonic() - start < 0.5
