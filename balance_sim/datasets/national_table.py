"""`python -m balance_sim.datasets.national_table [N [SEED]]`: build the synthetic country
(`national.py`; 2,895 counties and seed 1 by default), print its table of targets and counts (the
one data/README.md shows), and on stderr the time it took and the peak memory of the process."""
from __future__ import annotations

import argparse
import resource
import sys
import time

from balance_sim.datasets.national import DEFAULT_SEED, NATIONAL_COUNTIES, comparison_markdown, synthetic_country


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balance_sim.datasets.national_table", description=__doc__.splitlines()[0])
    parser.add_argument("counties", nargs="?", type=int, default=NATIONAL_COUNTIES)
    parser.add_argument("seed", nargs="?", type=int, default=DEFAULT_SEED)
    args = parser.parse_args(argv)
    start = time.perf_counter()
    county = synthetic_country(args.counties, args.seed)
    seconds = time.perf_counter() - start
    print(comparison_markdown(county))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # ru_maxrss is in kilobytes on Linux
    print(f"built {len(county.schools):,} school sections in {seconds:.1f} s; "
          f"peak memory of the process {peak_mb:,.0f} MB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
