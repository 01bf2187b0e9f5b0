"""Sweep throughput: the demo county, 10 years, R replications of the baseline on each executor
(`python benchmarks/bench_sweep.py --replications 1000 --executor processes`). Wall-clock seconds,
tasks a second."""
from __future__ import annotations

import argparse
import time

from balance_sim.datasets import demo_county
from balance_sim.scenarios import compare


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--replications", type=int, default=200)
    parser.add_argument("--executor", default="processes", choices=("serial", "processes", "dask"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args()
    county = demo_county()
    started = time.perf_counter()
    result = compare(county, [], years=args.years, seed=1, replications=args.replications, executor=args.executor,
                     workers=args.workers)
    seconds = time.perf_counter() - started
    print(f"{args.replications} replications, {args.years} years, {args.executor}: {seconds:.1f} s "
          f"({args.replications / seconds:.0f} a second), {len(result.table):,} rows")


if __name__ == "__main__":
    main()
