"""Text posts per second: the whole check against raw deduce on the same texts.

Goal (issue 2): the check takes at most 1.5× the time of raw deduce per text.
Also prints the peak memory of the process (deduce alone holds about 1.2 GB).

    python benchmarks/bench_text.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from pathlib import Path

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


def seconds_per_round(work, texts: list[str], rounds: int) -> float:
    """Median wall time (s) of running ``work`` over all texts, after a warm-up round."""
    for text in texts:
        work(text)
    timings = []
    for _ in range(rounds):
        start = time.perf_counter()
        for text in texts:
            work(text)
        timings.append(time.perf_counter() - start)
    return statistics.median(timings)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    texts = corpus()
    deduce = get_deduce(print)
    checker = Checker(get_protocol("lucas-onderwijs"))
    raw = seconds_per_round(deduce.deidentify, texts, args.rounds)
    full = seconds_per_round(lambda t: checker.check(Post(text=t)), texts, args.rounds)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"texts: {len(texts)} (mean {statistics.mean(len(t) for t in texts):.0f} characters)")
    print(f"raw deduce:   {len(texts) / raw:8.1f} texts/s  ({1000 * raw / len(texts):.2f} ms/text)")
    print(f"plaatsbaar:   {len(texts) / full:8.1f} posts/s  ({1000 * full / len(texts):.2f} ms/post)")
    print(f"ratio check/deduce: {full / raw:.2f}× (goal ≤ 1.5×)")
    print(f"peak memory (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
