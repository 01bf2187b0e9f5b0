"""Time of each mechanism of the year loop (not a test): the demo county, 10 years, every
mechanism on (consolidation and the county pool switched on too), summed over the ten years of
one run; best and median over runs with different seeds. `glue` is the loop's own work (ledger
counts, conservation checks, recording). Run: `python benchmarks/bench_mechanisms.py [--runs N]
[--clock cpu] [--county demo|100k]`.
"""
from __future__ import annotations

import argparse
import time
from collections import defaultdict

import numpy as np

from balance_sim.sim import Streams, load_policy
from balance_sim.sim import model

ALL_ON = {"enrolment.consolidation.enabled": True, "teachers.pool_rebalancing": True}
CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}


def one_run(county, policy, seed: int, clock) -> dict[str, float]:
    streams = Streams(seed)
    run, state = model.start(county, policy, 10, streams)
    spent = defaultdict(float)
    begin = clock()
    serving = model._serving(state)
    for _ in range(10):
        state.year += 1
        for module in model.MECHANISMS:
            name = model.mechanism_name(module)
            t = clock()
            rows = module.step(state, module.Context.of(policy, state.year), streams.draws(name, state.year))
            spent[name] += clock() - t
            run.ledger.add(state.year, rows)
        t = clock()
        serving = model.close_year(run, state, serving)
        spent["glue"] += clock() - t
    spent["year loop"] = clock() - begin
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--clock", choices=tuple(CLOCK), default="cpu")
    parser.add_argument("--county", choices=("demo", "100k"), default="demo")
    args = parser.parse_args()
    from balance_sim.datasets import demo_county, synthetic_county

    county = demo_county() if args.county == "demo" else synthetic_county(
        seed=1, n_primary=1835, n_junior=550, n_teaching_points=157, n_nine_year=79)
    policy = load_policy(overrides=ALL_ON)
    one_run(county, policy, 0, CLOCK[args.clock])  # warm-up
    runs = [one_run(county, policy, seed, CLOCK[args.clock]) for seed in range(1, args.runs + 1)]
    print(f"{'part':12s} {'best ms':>8s} {'median ms':>10s}   ({args.county}, {args.runs} runs, {args.clock} clock)")
    for part in runs[0]:
        values = np.array([r[part] for r in runs]) * 1000
        print(f"{part:12s} {values.min():8.2f} {np.median(values):10.2f}")


if __name__ == "__main__":
    main()
