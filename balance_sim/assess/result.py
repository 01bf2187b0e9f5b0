"""The result of an assessment: tidy tables per county, level, indicator and school, and the
JSON shape fixed by design.md (`balance-sim assess --format json`)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from balance_sim.standards import Standard


@dataclass(frozen=True, eq=False)
class Assessment:
    """Tables (pandas DataFrames):

    - `indicators`: county, level, key, mean (enrolment-weighted), cv, cv_max, cv_pass,
      schools_below_minimum (<NA> without per-school minimums);
    - `levels`: county, level, schools, students, composite_cv (mean rule only), 
      schools_meeting_standard, verdict, reasons (tuple of strings);
    - `schools`: one row per counted school section and key: value, minimum, met, ratio
      (value ÷ minimum), meets_standard (the per-school rule);
    - `excluded`: the sections left out and why;
    - `shortfalls`: for each school failing the per-school rule and each indicator below its
      minimum, the missing amount in natural units and its cost in yuan
      (see `balance_sim.shortfalls`);
    - `contributions`: for each failing CV, every school ranked by how much the CV would fall
      if that school's value were moved to the weighted mean.

    `notes` says what the user should know (e.g. which year of a panel was assessed).
    """

    standard: Standard
    indicators: pd.DataFrame
    levels: pd.DataFrame
    schools: pd.DataFrame
    excluded: pd.DataFrame
    shortfalls: pd.DataFrame
    contributions: pd.DataFrame
    notes: tuple[str, ...] = ()

    @property
    def verdict(self) -> dict[str, str]:
        """County → "pass" when every assessed level passes, else "fail"."""
        if self.levels.empty:
            return {}
        passed = self.levels.groupby("county", sort=False)["verdict"].agg(lambda v: (v == "pass").all())
        return {county: "pass" if ok else "fail" for county, ok in passed.items()}

    @property
    def not_assessed(self) -> tuple[str, ...]:
        """Requirements of the standard that school data cannot show."""
        return self.standard.resources.not_assessed

    def to_dict(self) -> dict:
        """The design's JSON object: standard, counties → levels → indicators (NaN → null)."""
        counties = []
        verdicts = self.verdict
        for county, levels in self.levels.groupby("county", sort=False):
            county_levels = []
            for row in levels.itertuples(index=False):
                rows = self.indicators[(self.indicators["county"] == county) & (self.indicators["level"] == row.level)]
                county_levels.append({
                    "level": row.level,
                    "schools": int(row.schools),
                    "students": int(row.students),
                    "indicators": [
                        {
                            "key": ind.key,
                            "mean": _number(ind.mean),
                            "cv": _number(ind.cv),
                            "cv_max": _number(ind.cv_max),
                            "cv_pass": bool(ind.cv_pass),
                            "schools_below_minimum": _count(ind.schools_below_minimum),
                        }
                        for ind in rows.itertuples(index=False)
                    ],
                    "composite_cv": _number(row.composite_cv),
                    "schools_meeting_standard": _count(row.schools_meeting_standard),
                    "verdict": row.verdict,
                    "reasons": list(row.reasons),
                })
            counties.append({"county": county, "verdict": verdicts[county], "levels": county_levels})
        return {"standard": self.standard.name, "counties": counties}


def _number(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _count(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
