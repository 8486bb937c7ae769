"""Text posts per second: the whole check against raw deduce on the same texts.

Goal (issue 2): the check takes at most 1.5× the time of raw deduce per text.
"Raw deduce" is deduce's default ``deidentify`` (all processors); "the check"
is ``Checker.check(Post(text=...))`` with the lucas-onderwijs protocol.

Rounds of the two alternate (deduce, check, deduce, check …) after a warm-up
round of each, so that a busy neighbour slows both alike; each round is timed
in wall time and in CPU time of this process (CPU time counts no time spent
waiting for a core). The ratio is the median of the per-pair ratios. Also
prints the peak memory of the process (deduce alone holds about 1.2 GB).

    python benchmarks/bench_text.py [--rounds 15]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import yaml

from plaatsbaar.core.checker import Checker
from plaatsbaar.core.detectors.deduce_engine import get_deduce
from plaatsbaar.core.post import Post
from plaatsbaar.core.protocol.loader import get_protocol

REPO = Path(__file__).resolve().parents[1]


def corpus() -> list[str]:
    """Every text of the examples and the rule cases (realistic school texts)."""
    texts = []
    for path in sorted((REPO / "examples").rglob("*.json")):
        texts.append(json.loads(path.read_text(encoding="utf-8")).get("text", ""))
    for path in sorted((REPO / "examples").rglob("*.jsonl")):
        texts += [json.loads(line).get("text", "") for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for path in sorted((REPO / "tests/protocols/cases").glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts += [case[k].get("text", "") for k in ("fires", "passes")]
    return [t for t in texts if t.strip()]


@dataclass
class Timings:
    """Seconds per round over all texts: wall and CPU time, one entry per round."""

    wall: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)

    def time(self, work: Callable[[str], object], texts: list[str]) -> None:
        """Run ``work`` over all texts once and record the round's times."""
        wall, cpu = time.perf_counter(), time.process_time()
        for text in texts:
            work(text)
        self.cpu.append(time.process_time() - cpu)
        self.wall.append(time.perf_counter() - wall)


def alternating_rounds(
    first: Callable[[str], object], second: Callable[[str], object], texts: list[str], rounds: int
) -> tuple[Timings, Timings]:
    """Time ``first`` and ``second`` over all texts in alternating rounds, after a warm-up round of each."""
    for text in texts:
        first(text)
        second(text)
    timings = Timings(), Timings()
    for _ in range(rounds):
        timings[0].time(first, texts)
        timings[1].time(second, texts)
    return timings


def _per_text(label: str, seconds: list[float], texts: int, unit: str) -> str:
    median = statistics.median(seconds)
    return f"{label} {texts / median:8.1f} {unit}/s  ({1000 * median / texts:.3f} ms per text)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    texts = corpus()
    deduce = get_deduce(print)
    checker = Checker(get_protocol("lucas-onderwijs"))
    raw, full = alternating_rounds(deduce.deidentify, lambda t: checker.check(Post(text=t)), texts, args.rounds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    n = len(texts)
    mean = statistics.mean(len(t) for t in texts)
    print(f"texts: {n} (mean {mean:.0f} characters); {args.rounds} rounds each, medians")
    for clock in ("cpu", "wall"):
        raw_s, full_s = getattr(raw, clock), getattr(full, clock)
        ratios = [f / r for r, f in zip(raw_s, full_s)]
        print(f"{clock} time:")
        print("  " + _per_text("raw deduce:", raw_s, n, "texts"))
        print("  " + _per_text("plaatsbaar:", full_s, n, "posts"))
        spread = f"pairs: {min(ratios):.2f}–{max(ratios):.2f}"
        print(f"  ratio check/deduce: {statistics.median(ratios):.2f}× ({spread}; goal ≤ 1.5×)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
