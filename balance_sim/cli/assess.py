"""`balance-sim assess PATH [--standard NAME|FILE] [--format table|json|csv] [--out FILE]`:
the official assessment per county and level (a thin wrapper over `balance_sim.assessment.assess`).
Exit 0 when assessed, pass or fail; 2 for bad input or an unknown standard."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from balance_sim import atomic
from balance_sim.errors import InputError, Problem


def register(subparsers) -> None:
    parser = subparsers.add_parser("assess", help="official assessment per county and level")
    parser.add_argument("path", metavar="PATH",
                        help="input folder or file, 'demo' / 'demo-province', or 'synthetic:N[:SEED]' (N synthetic counties)")
    parser.add_argument("--standard", default="quality-2017",
                        help="basic-2012, quality-2017, or a standard's YAML file (default quality-2017)")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    parser.set_defaults(func=run)


def _load(path: str):
    from balance_sim.io import load  # the loader module is heavy; import it only when used

    return load(path)


def with_left_out(assessment):
    """The indicators table with, per county and level, the sections the standard leaves out and
    why (last columns, so readers that go by position keep working)."""
    left = assessment.excluded.groupby(["county", "level"], sort=False)["reason"]
    counts = left.size().rename("sections_left_out")
    reasons = left.agg(lambda r: "; ".join(f"{n} × {why}" for why, n in r.value_counts().items())).rename("left_out_reasons")
    table = assessment.indicators.merge(counts, on=["county", "level"], how="left").merge(
        reasons, on=["county", "level"], how="left")
    table["sections_left_out"] = table["sections_left_out"].fillna(0).astype(int)
    table["left_out_reasons"] = table["left_out_reasons"].fillna("")
    return table


def run(args) -> int:
    from balance_sim.assessment import assess
    from balance_sim.assessment.text import format_table
    from balance_sim.standards import load_standard

    from balance_sim.assessment.panel import assess_panel
    from balance_sim.assessment.panel_text import format_panel
    from balance_sim.spreadsheet_safe import formula_safe

    standard = load_standard(args.standard)  # an unknown standard fails before any loading
    county = _load(args.path)
    # Several years: each year assessed; the top-level result is the latest year's (design.md).
    panel = assess_panel(county, standard) if len(county.years) > 1 else None
    assessment = panel.latest if panel else assess(county, standard)
    notes = assessment.notes
    if panel:
        notes = (f"the data hold {len(panel.years)} years: each is assessed; the top level shows "
                 f"{panel.years[-1]}, every year under 'years' (json), per-year rows (csv, table)",)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    if args.format == "json":
        text = json.dumps((panel or assessment).to_dict(), ensure_ascii=False, indent=2) + "\n"
    elif args.format == "csv":
        # Opened in Excel more often than not: county and school names stay text (spreadsheet_safe).
        table = (panel or assessment).indicators if panel else with_left_out(assessment)
        text = formula_safe(table).to_csv(index=False)
    else:
        text = format_table(assessment) + ("\n" + format_panel(panel) if panel else "")
    if args.out:
        try:
            atomic.write_text(Path(args.out), text)
        except OSError as error:
            raise InputError(Problem(args.out, None, None, f"cannot write: {error.strerror or error}")) from None
    else:
        sys.stdout.write(text)
    return 0


