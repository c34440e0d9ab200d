"""Node-state badges: what finding the cached nodes costs, against the planning every edit already pays.

    .venv/bin/python benchmarks/node_states.py [--sizes 50,200,800] [--repeats 5]

A chain of N nodes (Constant, then Grade / Blur / Transform / Dot in turn) at a tiny format is
rendered once so every node is cached. Per size it prints the best of `--repeats`, in ms:

- snapshot: `Document.copy()`, taken on the UI thread when the badges update (at most every
  300 ms while edits come);
- cached nodes: `node_states.cached_nodes`, on the worker: every node planned at the frame with
  one shared plan (`Evaluator.plan_each`), each key peeked in the cache;
- hash each node: the same answer asking `Evaluator.hash` node by node (no shared planning);
- viewer plan (peer): planning the last node once, what the viewer does on every edit.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import nodecomp as nc  # noqa: E402
from nodecomp.core.format import Format  # noqa: E402
from nodecomp.engine.cache import ImageCache  # noqa: E402
from nodecomp.engine.evaluator import Evaluator  # noqa: E402
from nodecomp.engine.request import Request  # noqa: E402
from nodecomp.ui.node_states import cached_nodes  # noqa: E402

TYPES = ("Grade", "Blur", "Transform", "Dot")


def chain(size: int) -> nc.Document:
    """Constant followed by `size - 1` nodes, each fed by the one before."""
    doc = nc.Document(name=f"chain{size}")
    doc.format = Format(32, 18)
    node = doc.add("Constant")
    for index in range(size - 1):
        node = doc.add(TYPES[index % len(TYPES)], node)
    return doc


def best_ms(run, repeats: int) -> float:
    """The fastest of `repeats` calls, in ms."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times) * 1000


def measure(size: int, repeats: int) -> tuple[float, float, float, float]:
    """The four figures for a chain of `size` nodes, all of them cached."""
    doc = chain(size)
    cache = ImageCache(1024**3)
    last = doc.nodes[-1]
    Evaluator(doc, cache).evaluate(last, 1)

    def each() -> set[str]:
        evaluator = Evaluator(doc, cache)
        return {n.name for n in doc.nodes if cache.peek(evaluator.hash(n, 1) or "")}

    found = cached_nodes(doc, 1, cache)
    if found != each() or len(found) != size:
        raise SystemExit(f"cached nodes disagree for {size} nodes")
    return (
        best_ms(doc.copy, repeats),
        best_ms(lambda: cached_nodes(doc, 1, cache), repeats),
        best_ms(each, repeats),
        best_ms(lambda: Evaluator(doc, cache).plan(last, Request(1.0)), repeats),
    )


def main() -> int:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,200,800")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    print(f"{'nodes':>6} {'snapshot':>10} {'cached nodes':>13} {'hash each node':>15} {'viewer plan':>12}")
    for size in (int(s) for s in args.sizes.split(",")):
        figures = measure(size, args.repeats)
        print(f"{size:>6} {figures[0]:>10.1f} {figures[1]:>13.1f} {figures[2]:>15.1f} {figures[3]:>12.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
