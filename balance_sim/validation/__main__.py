"""`python -m balance_sim.validation [--out docs/validation.md] [--replications R] [--seed S]`."""
from __future__ import annotations

import argparse
from pathlib import Path

from balance_sim.datasets import demo_county, demo_province
from balance_sim.validation.certify import certification_section
from balance_sim.validation.directions import directions_section
from balance_sim.validation.markdown import document
from balance_sim.validation.run import lever_effects


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balance_sim.validation", description=__doc__)
    parser.add_argument("--out", default="docs/validation.md")
    parser.add_argument("--replications", type=int, default=10)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--years", type=int, default=10)
    args = parser.parse_args(argv)
    county = demo_county()
    effects = lever_effects(county, years=args.years, seed=args.seed, replications=args.replications)
    province = demo_province()
    second = province.counties[1]
    extra = directions_section({"demo county": county, second: province.select(county=second)}, args.years,
                               args.seed, args.replications)
    extra += certification_section(county, args.years, args.seed, args.replications)
    text = document(effects, args.seed, args.replications, args.years, extra)
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
