"""A panel assessment as plain text: the verdict of each year per county and level, then the
trend of every CV (what `balance-sim assess --format table` adds for data of several years)."""
from __future__ import annotations

import math

import pandas as pd

from balance_sim.assessment.panel import PanelAssessment
from balance_sim.assessment.text import MARGINAL_MARK, display_width
from balance_sim.assessment.trend import trend


def _cell(value, digits: int = 3, sign: str = "") -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:{sign}.{digits}f}" if isinstance(value, float) else str(value)


def _table(rows: list[list[str]], right_from: int) -> list[str]:
    widths = [max(display_width(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [c + " " * (w - display_width(c)) if i < right_from else " " * (w - display_width(c)) + c
                 for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
    return lines


def format_panel(panel: PanelAssessment) -> str:
    """Per-year rows (county, level, year, verdict, composite CV — marked ≈ when marginal —, CVs
    above their ceiling, marginal CVs: less than 0.005 from their ceiling) and the trend table."""
    indicators = panel.indicators
    by_level_year = ["county", "level", "year"]
    failing = indicators[~indicators["cv_pass"].astype(bool)].groupby(by_level_year).size()
    marginal = indicators[indicators["marginal"].astype(bool)].groupby(by_level_year).size()
    lines = [f"{panel.standard.name}: {len(panel.years)} years ({', '.join(map(str, panel.years))})", ""]
    rows = [["county", "level", "year", "verdict", "comprehensive CV", "CVs above max", "CVs marginal",
             "schools meeting rule"]]
    for row in panel.levels.itertuples(index=False):
        meeting = "—" if pd.isna(row.schools_meeting_standard) else f"{int(row.schools_meeting_standard)}/{row.schools}"
        composite = _cell(float(row.composite_cv))
        if not pd.isna(row.composite_cv_marginal) and row.composite_cv_marginal:
            composite += f" {MARGINAL_MARK}"
        at = (row.county, row.level, row.year)
        rows.append([str(row.county), row.level, str(row.year), row.verdict, composite,
                     str(int(failing.get(at, 0))), str(int(marginal.get(at, 0))), meeting])
    lines += ["-- by year --", *_table(rows, right_from=4), ""]
    rows = [["county", "level", "indicator", "CV first", "CV last", "max", "change/yr", "years to max", "status"]]
    for row in trend(panel).itertuples(index=False):
        rows.append([str(row.county), row.level, row.key, _cell(row.cv_first), _cell(row.cv_last),
                     _cell(row.cv_max, 2), _cell(row.change_per_year, 4, "+"),
                     _cell(row.years_to_ceiling, 1), row.status])
    lines += [f"-- trend {panel.years[0]}–{panel.years[-1]} (least-squares change per year) --",
              *_table(rows, right_from=3)]
    return "\n".join(lines) + "\n"
