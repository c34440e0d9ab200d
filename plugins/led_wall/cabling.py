"""Daisy chains: which port drives each cabinet and in what order.

A run is a column (vertical cabling) or a row (horizontal cabling) of the cabinets one
processor drives on one wall; missing cabinets are skipped. Runs are taken from the start
corner's side (left or right, top or bottom) and each run starts at the start corner's end;
serpentine cabling reverses every other run, linear cabling starts each run on the same side.

Packing `runs` gives each port as many whole runs as fit (a port's chain starts at the start
corner's side again); a run bigger than a port is split over several ports and reported.
Packing `cabinets` follows one continuous snake over all runs and cuts it every port's worth.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from plugins.led_wall.geometry import Cabinet
from plugins.led_wall.model import Cabling, CablingMode, Corner, Direction, Packing


@dataclass(frozen=True)
class Chain:
    """The cabinets one port drives, in signal order (the first is plugged into the processor)."""

    cabinets: tuple[Cabinet, ...]


def runs(cabinets: Sequence[Cabinet], cabling: Cabling) -> list[list[Cabinet]]:
    """The runs in cabling order, each ordered from the start corner's end (before serpentine reversal)."""
    vertical = cabling.direction is Direction.VERTICAL
    from_left = cabling.start_corner in (Corner.TOP_LEFT, Corner.BOTTOM_LEFT)
    from_top = cabling.start_corner in (Corner.TOP_LEFT, Corner.TOP_RIGHT)
    groups: dict[int, list[Cabinet]] = {}
    for cabinet in cabinets:
        groups.setdefault(cabinet.col if vertical else cabinet.row, []).append(cabinet)
    run_forward = from_left if vertical else from_top
    inner_forward = from_top if vertical else from_left
    ordered = []
    for key in sorted(groups, reverse=not run_forward):
        run = sorted(groups[key], key=lambda c: c.row if vertical else c.col, reverse=not inner_forward)
        ordered.append(run)
    return ordered


def chains(cabinets: Sequence[Cabinet], cabling: Cabling, per_port: int, run_name: str = "") -> tuple[
        list[Chain], list[str]]:
    """Split `cabinets` (one wall, one processor) into port chains of at most `per_port` cabinets.

    Args:
        cabinets: the cabinets to chain.
        cabling: mode, start corner, direction and packing.
        per_port: cabinets one port carries (at least 1).
        run_name: how warnings name the wall and processor (`wall main on PROC_A`).

    Returns:
        The chains in port order and warnings (runs over a port's capacity).
    """
    per_port = max(1, per_port)
    all_runs = runs(cabinets, cabling)
    serpentine = cabling.mode is CablingMode.SERPENTINE
    warnings: list[str] = []
    if cabling.packing is Packing.CABINETS:
        snake = [c for i, run in enumerate(all_runs) for c in (run[::-1] if serpentine and i % 2 else run)]
        return [Chain(tuple(snake[i:i + per_port])) for i in range(0, len(snake), per_port)], warnings
    kind = "column" if cabling.direction is Direction.VERTICAL else "row"
    result: list[Chain] = []
    current: list[list[Cabinet]] = []
    for run in all_runs:
        if len(run) > per_port:
            index = run[0].col if kind == "column" else run[0].row
            pieces = -(-len(run) // per_port)
            warnings.append(f"{kind} {index} of {run_name or 'the wall'} has {len(run)} cabinets, over the port "
                            f"capacity of {per_port}; it is split over {pieces} ports")
            if current:
                result.append(_chain(current, serpentine))
                current = []
            for start in range(0, len(run), per_port):
                result.append(Chain(tuple(run[start:start + per_port])))
            continue
        if sum(len(r) for r in current) + len(run) > per_port:
            result.append(_chain(current, serpentine))
            current = []
        current.append(run)
    if current:
        result.append(_chain(current, serpentine))
    return result, warnings


def _chain(port_runs: list[list[Cabinet]], serpentine: bool) -> Chain:
    ordered = [c for i, run in enumerate(port_runs) for c in (run[::-1] if serpentine and i % 2 else run)]
    return Chain(tuple(ordered))
