"""Speed and memory of many counties in one state (not a test): the demo province (60 counties)
and synthetic countries of N counties, 10 years, one replication, the default policy.

Run from the project root:
  python benchmarks/bench_scale.py                      # the demo province, best of 5 after a warm-up
  python benchmarks/bench_scale.py --counties 100 400   # synthetic countries, one run each
  python benchmarks/bench_scale.py --counties 2895      # the national case

Each synthetic country runs in a fresh process so that its peak resident memory (ru_maxrss) is
its own; generating the country is timed apart from simulating it. `--clock cpu` reports CPU
time instead of wall-clock (steadier on a shared machine). `--profile` prints the 25 functions
with the most time of one province run. `--floor` times single whole-array passes over arrays the
size of the national teacher arrays (13.3 million slots, 201,600 sections): the memory-bandwidth
floor a simulated year is measured against. Synthetic countries keep freed memory for reuse, as
the command line does (`balance_sim.allocator`); `--allocator default` leaves glibc's default.
"""
from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import resource
import subprocess
import sys
import time

CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}


def province(repeat: int, clock) -> list[float]:
    from balance_sim import datasets
    from balance_sim.sim import simulate

    county = datasets.demo_province()
    simulate(county, years=10, seed=1)  # warm-up: policy files, the County's cached columns
    times = []
    for _ in range(repeat):
        t = clock()
        simulate(county, years=10, seed=1)
        times.append(clock() - t)
    return times


def country(counties: int, clock_name: str, allocator: str = "keep") -> dict:
    """Generate and simulate a synthetic country in this process (called in a child process);
    `allocator` "keep": freed memory kept for reuse, as the command line runs (allocator.py)."""
    from balance_sim import datasets
    from balance_sim.allocator import keep_freed_memory
    from balance_sim.sim import simulate

    if allocator == "keep":
        keep_freed_memory()
    clock = CLOCK[clock_name]
    t0 = clock()
    county = datasets.synthetic_country(counties=counties, seed=1)
    t1 = clock()
    result = simulate(county, years=10, seed=1)
    t2 = clock()
    teachers = int(sum(run.state.teachers.n for _, _, run in result.runs))
    return {"counties": counties, "generate_s": t1 - t0, "simulate_s": t2 - t1, "teacher_slots": teachers,
            "peak_rss_gib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}


def floor(slots: int = 13_300_000, sections: int = 201_600, repeat: int = 5) -> None:
    """Best-of-`repeat` milliseconds of one pass of each kind the mechanisms make."""
    import numpy as np

    rng = np.random.default_rng(0)
    school = rng.integers(0, sections, slots).astype(np.int32)
    active = rng.random(slots) < 0.8
    age = rng.integers(22, 60, slots).astype(np.int8)
    county = np.repeat(np.arange(2895, dtype=np.int32), -(-sections // 2895))[:sections]
    draws = rng.random(slots)
    passes = {
        "age a year (int8, in place)": lambda: np.add(age, 1, out=age),
        "mask of two conditions (bool)": lambda: active & (age > 50),
        "count by section (bincount of a masked int32)": lambda: np.bincount(school[active], minlength=sections),
        "county of each slot (gather)": lambda: county[school],
        "uniform draws, one per slot": lambda: rng.random(slots),
        "sort of one draw per slot (argsort)": lambda: np.argsort(draws),
    }
    for name, function in passes.items():
        times = []
        for _ in range(repeat):
            t = time.perf_counter()
            function()
            times.append(time.perf_counter() - t)
        print(f"{name:48s} {min(times) * 1000:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--counties", type=int, nargs="*", help="synthetic countries of these sizes")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--clock", choices=CLOCK, default="wall")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--allocator", choices=("keep", "default"), default="keep",
                        help="synthetic countries: keep freed memory for reuse as the command line does "
                             "(balance_sim.allocator, the default) or leave glibc's default")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(country(args.child, args.clock, args.allocator)))
        return
    if args.floor:
        floor()
        return
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(province, 1, CLOCK[args.clock])
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        return
    if not args.counties:
        times = province(args.repeat, CLOCK[args.clock])
        print(f"demo province, 60 counties, 10 years ({args.clock}): best {min(times):.2f} s, "
              f"median {sorted(times)[len(times) // 2]:.2f} s over {len(times)} runs")
        return
    for n in args.counties:
        out = subprocess.run([sys.executable, __file__, "--child", str(n), "--clock", args.clock,
                              "--allocator", args.allocator],
                             check=True, capture_output=True, text=True)
        r = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"synthetic:{n}: generate {r['generate_s']:.1f} s, simulate 10 years {r['simulate_s']:.1f} s, "
              f"{r['teacher_slots']:,} teacher slots, peak RSS {r['peak_rss_gib']:.2f} GiB")


if __name__ == "__main__":
    main()
