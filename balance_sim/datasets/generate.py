"""Write the embedded demo data: `python -m balance_sim.datasets.generate OUTDIR`.

Writes OUTDIR/demo/{schools,shared_facilities,teachers,budget,county}.csv and
OUTDIR/demo-province/{schools,shared_facilities}.csv (UTF-8, canonical English headers, identical
bytes on every run; nine-year schools' facilities are whole-school totals in shared_facilities.csv) and prints the calibration tables
that data/README.md shows.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from balance_sim import atomic
from balance_sim.datasets import demo_county, demo_county_tables, demo_province_tables
from balance_sim.datasets.targets import calibration_markdown, standards_markdown


def csv_text(frame: pd.DataFrame) -> str:
    """The exact text written for a table (shared with the tests)."""
    return frame.to_csv(index=False, lineterminator="\n")


def demo_files() -> dict[str, str]:
    """Relative path → file text of every embedded data file."""
    folders = {"demo": demo_county_tables(), "demo-province": demo_province_tables()}
    return {
        f"{folder}/{name}.csv": csv_text(frame)
        for folder, tables in folders.items()
        for name, frame in tables.files().items()
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m balance_sim.datasets.generate", description=__doc__.splitlines()[0])
    parser.add_argument("outdir", type=Path, help="folder that receives demo/ and demo-province/")
    args = parser.parse_args(argv)
    for relative, text in demo_files().items():
        atomic.write_text(args.outdir / relative, text)
        print(f"wrote {args.outdir / relative}", file=sys.stderr)
    county = demo_county()
    print("## Calibration targets\n")
    print(calibration_markdown(county))
    print("\n## Coefficients of variation of the demo county\n")
    print(standards_markdown(county))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
