"""Connecting to a farm: an embedded LocalCluster, or a running Dask scheduler.

The embedded cluster listens on 127.0.0.1 only and has no dashboard, so trying the farm on a
laptop opens nothing to the network. A real farm is a `dask scheduler` plus `dask worker`
processes with nodecomp installed; TLS (`tls://` addresses) is configured the Dask way
(`distributed.comm.tls.*` settings or `DASK_DISTRIBUTED__COMM__TLS__*` variables), see
docs/farm.md.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from nodecomp.core.errors import NodecompError

log = logging.getLogger(__name__)

LOCAL = "local"
_ADDRESS = re.compile(r"^(tcp|tls|inproc|ucx|ws|wss)://\S+$")


class FarmError(NodecompError):
    """The farm cannot be reached or used."""


def check_farm(farm: str) -> str:
    """`farm` if it is `local` or a scheduler address, else FarmError (a usage mistake)."""
    if farm == LOCAL or _ADDRESS.match(farm):
        return farm
    raise FarmError(f"--farm {farm!r} is neither 'local' nor a scheduler address",
                    hint="use --farm local or --farm tcp://HOST:8786")


@contextmanager
def farm_client(farm: str, *, workers: int = 2, timeout: float = 30.0) -> Iterator[Any]:
    """A connected `distributed.Client`; closes it (and an embedded cluster) on exit.

    Args:
        farm: `local` for an embedded LocalCluster, or a scheduler address (`tcp://host:8786`).
        workers: worker processes of the embedded cluster (one thread each).
        timeout: seconds to wait for a remote scheduler.

    Raises:
        FarmError: a bad address, an unreachable scheduler, or no worker count.
    """
    from distributed import Client, LocalCluster

    check_farm(farm)
    if farm == LOCAL:
        if workers < 1:
            raise FarmError("--workers must be at least 1")
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        try:
            client = Client(cluster)
            try:
                yield client
            finally:
                client.close()
        finally:
            cluster.close()
        return
    try:
        client = Client(farm, timeout=timeout)
    except (OSError, TimeoutError, ValueError) as exc:
        raise FarmError(f"cannot reach the Dask scheduler at {farm} ({exc})",
                        hint="start one with `dask scheduler` and check the address, port and TLS settings") from None
    try:
        yield client
    finally:
        client.close()
