"""The result of an assessment: tidy tables per county, level, indicator and school, and the
JSON shape fixed by design.md (`balance-sim assess --format json`)."""
from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from balance_sim.checklist.verdict import certification, not_assessable, part_status, weak_links
from balance_sim.standards import Standard


@dataclass(frozen=True, eq=False)
class Assessment:
    """Tables (pandas DataFrames):

    - `indicators`: county, level, key, mean (enrolment-weighted), cv, cv_max, cv_pass (the CV,
      rounded to the standard's `cv_decimals` if it sets them, is at most cv_max),
      schools_below_minimum (<NA> without per-school minimums), marginal (|cv − cv_max| < 0.005
      on the unrounded CV: a verdict a province's rounding could turn);
    - `levels`: county, level, schools, students, composite_cv (mean rule only),
      schools_meeting_standard, verdict, reasons (tuple of strings), composite_cv_marginal
      (marginal as above, for the comprehensive CV; <NA> without one);
    - `schools`: one row per counted school section and key: value, minimum, met, ratio
      (value ÷ minimum), meets_standard (the per-school rule);
    - `excluded`: the sections left out and why;
    - `shortfalls`: for each school failing the per-school rule and each indicator below its
      minimum, the missing amount in natural units and its cost in yuan
      (see `balance_sim.shortfalls`);
    - `contributions`: for each failing CV, every school ranked by how much the CV would fall
      if that school's value were moved to the weighted mean.

    - `parts` (standards with a `parts:` section, e.g. quality-2017): one row per county and
      item of the four parts — part, clause, key, zh, en, value, rule, status (pass / fail /
      not_assessable), missing (table.column lacking), detail, gap (see `balance_sim.checklist`).

    `notes` says what the user should know (e.g. which year of a panel was assessed).
    `verdict` is the resource part (the levels); `certification` the whole four-part verdict.
    """

    standard: Standard
    indicators: pd.DataFrame
    levels: pd.DataFrame
    schools: pd.DataFrame
    excluded: pd.DataFrame
    shortfalls: pd.DataFrame
    contributions: pd.DataFrame
    notes: tuple[str, ...] = ()
    parts: pd.DataFrame | None = None

    @property
    def has_parts(self) -> bool:
        return self.parts is not None and not self.parts.empty

    @property
    def certification(self) -> dict[str, str]:
        """County → "pass" only when all four parts pass (standards with parts); else `verdict`."""
        return certification(self.parts) if self.has_parts else self.verdict

    @property
    def part_status(self) -> pd.DataFrame:
        return part_status(self.parts) if self.has_parts else pd.DataFrame(columns=["county", "part", "status"])

    @property
    def weak_links(self) -> pd.DataFrame:
        """Failing items of the four parts, farthest from their rule first."""
        return weak_links(self.parts) if self.has_parts else pd.DataFrame()

    @property
    def not_assessable_items(self) -> pd.DataFrame:
        return not_assessable(self.parts) if self.has_parts else pd.DataFrame()

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
        verdicts = self.certification
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
                            "marginal": bool(ind.marginal),
                            "schools_below_minimum": _count(ind.schools_below_minimum),
                        }
                        for ind in rows.itertuples(index=False)
                    ],
                    "composite_cv": _number(row.composite_cv),
                    "composite_cv_marginal": _flag(row.composite_cv_marginal),
                    "schools_meeting_standard": _count(row.schools_meeting_standard),
                    "verdict": row.verdict,
                    "reasons": list(row.reasons),
                })
            entry = {"county": county, "verdict": verdicts[county], "levels": county_levels,
                     "excluded": self._excluded_of(county)}
            if self.has_parts:
                entry["parts"] = self._parts_of(county)
            counties.append(entry)
        return {"standard": self.standard.name, "counties": counties}

    def _excluded_of(self, county: str) -> list[dict]:
        """The sections the standard leaves out, each with its reason."""
        rows = self.excluded[self.excluded["county"] == county]
        return [{"school_id": str(r.school_id), "name": str(r.name), "level": str(r.level),
                 "school_type": str(r.school_type), "students": _count(r.students), "reason": str(r.reason)}
                for r in rows.itertuples(index=False)]

    def _parts_of(self, county: str) -> list[dict]:
        rows = self.parts[self.parts["county"] == county]
        status = self.part_status
        status = dict(zip(status.loc[status["county"] == county, "part"], status.loc[status["county"] == county, "status"]))
        out = []
        for part, items in rows.groupby("part", sort=False):
            listed = []
            for item in items.itertuples(index=False):
                entry = {"key": item.key, "value": _number(item.value), "rule": item.rule, "status": item.status}
                if item.status == "not_assessable":
                    entry["missing"] = list(item.missing)
                listed.append(entry)
            out.append({"part": part, "status": status[part], "items": listed})
        return out


def _number(value) -> float | None:
    if value is None or value is pd.NA:
        return None
    value = float(value)
    return value if math.isfinite(value) else None


def _flag(value) -> bool | None:
    return None if value is None or pd.isna(value) else bool(value)


def _count(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)
