"""Every inequality measure of `balance_sim.measures` per county, level and indicator, on the
school sections a standard counts: a tidy table (county, level, key, measure, value).

Enrolment-weighted measures (mean, cv, gini, theil_*, mcloone, verstegen, federal_range_ratio)
treat each pupil as carrying their school's value; max_min_ratio compares schools. Theil parts are
split by `partition` (a schools column: location or township). Teacher allocation (key
`teachers`): R² of teachers on pupils, and 1 − R².
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from balance_sim.assessment.core import one_year
from balance_sim.county import LEVELS, County
from balance_sim.indicators import indicator_values
from balance_sim.measures.allocation import teacher_allocation
from balance_sim.measures.cv import weighted_mean_cv
from balance_sim.measures.gini import gini
from balance_sim.measures.mcloone import mcloone
from balance_sim.measures.ranges import federal_range_ratio, max_min_ratio
from balance_sim.measures.theil import theil_decomposition
from balance_sim.measures.verstegen import verstegen
from balance_sim.standards import Standard, load_standard
from balance_sim.standards.rules import exclusion_reasons

COLUMNS = ["county", "level", "key", "measure", "value"]


def inequality_table(
    county: County,
    keys: tuple[str, ...] | list[str] | None = None,
    standard: str | Path | Standard = "quality-2017",
    partition: str = "location",
    year: int | None = None,
) -> pd.DataFrame:
    """Tidy table of inequality measures; `keys` defaults to the standard's indicators; a panel
    is measured in `year` (default: its latest year)."""
    std = load_standard(standard)
    county, _ = one_year(county, year)
    keys = list(keys or std.indicators)
    rows = []
    for name in county.counties:
        schools = county.select(county=name).schools
        schools = schools[exclusion_reasons(schools, std.resources.inclusion).isna()]
        for level in LEVELS:
            sections = schools[schools["level"].astype(str) == level]
            if sections.empty:
                continue
            values = indicator_values(sections, keys)
            pupils = sections["students"].to_numpy(dtype=float)
            groups = sections[partition].astype(str).to_numpy() if partition in sections else None
            for key in keys:
                for measure, value in _measures(values[key].to_numpy(), pupils, groups).items():
                    rows.append((name, level, key, measure, value))
            fit = teacher_allocation(sections["teachers"], sections["students"])
            rows.append((name, level, "teachers", "allocation_r2", fit.r_squared))
            rows.append((name, level, "teachers", "allocation_unexplained", fit.unexplained))
    return pd.DataFrame(rows, columns=COLUMNS)


def _measures(x, pupils, groups) -> dict[str, float]:
    mean, cv = weighted_mean_cv(x, pupils)
    out = {
        "mean": mean, "cv": cv, "gini": gini(x, pupils),
        "mcloone": mcloone(x, pupils), "verstegen": verstegen(x, pupils),
        "federal_range_ratio": federal_range_ratio(x, pupils), "max_min_ratio": max_min_ratio(x, pupils),
    }
    for measure in ("T", "L"):
        parts = theil_decomposition(x, groups if groups is not None else [""] * len(x), pupils, measure)
        name = f"theil_{measure.lower()}"
        out.update({name: parts.total, f"{name}_between": parts.between, f"{name}_within": parts.within})
    return out
