"""The official assessment of one or more counties against a standard, per county and level:
enrolment-weighted means and CVs, per-school compliance, verdict with reasons, shortfalls and
the schools that weigh most on each failing CV (教督〔2012〕3号, 教督〔2017〕6号; docs/sources.md#cv, docs/sources.md#basic-2012, docs/sources.md#quality-2017).

A CV passes when the value compared with the ceiling — the CV (rule `each`) or the comprehensive
CV, the mean of the unrounded CVs (rule `mean`) — rounded to the standard's `cv_decimals` (None:
unrounded) is at most the ceiling. A CV is *marginal* when its unrounded value is less than 0.005
from the ceiling, whatever `cv_decimals` says (`balance_sim.standards.rules.cv_marginal`).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from balance_sim.county import LEVELS, County
from balance_sim.errors import ParameterError
from balance_sim.indicators import indicator_values
from balance_sim.measures.cv import weighted_mean_cv
from balance_sim.measures.leverage import cv_after_moving_to_mean
from balance_sim.shortfalls import shortfalls as price_shortfalls
from balance_sim.shortfalls import unit_costs
from balance_sim.standards import Standard, load_standard
from balance_sim.standards.rules import (
    MARGINAL_NOTE, composite_cv, cv_compared, cv_marginal, cv_within_ceiling, exclusion_reasons, meets_school_rule,
    minimum_table, ratio_and_met,
)
from balance_sim.assessment.result import Assessment
from balance_sim.checklist.definitions import official_county
from balance_sim.checklist.whole import parts_table

SCHOOL_ID_COLUMNS = ["county", "level", "school_id", "name", "location", "school_type", "students"]
COLUMNS = {
    # New columns go last: readers of the CSV outputs may take columns by position.
    "indicators": ["county", "level", "key", "mean", "cv", "cv_max", "cv_pass", "schools_below_minimum", "marginal"],
    "levels": ["county", "level", "schools", "students", "composite_cv", "schools_meeting_standard",
               "verdict", "reasons", "composite_cv_marginal"],
    "schools": SCHOOL_ID_COLUMNS + ["key", "value", "minimum", "ratio", "met", "meets_standard"],
    "excluded": SCHOOL_ID_COLUMNS + ["reason"],
    "contributions": ["county", "level", "key", "school_id", "name", "students", "value", "cv",
                      "cv_after", "cv_reduction", "rank"],
}


def assess(
    county: County,
    standard: str | Path | Standard = "quality-2017",
    costs: str | Path | None = None,
    year: int | None = None,
) -> Assessment:
    """Assess every county and level of `county` against `standard` (a name, a YAML path or a
    Standard). `costs` optionally names a YAML file overriding the shipped unit costs. A panel
    (several years) is assessed for `year`, by default its latest year (said in `notes`).

    The official indicator definitions (campus merge, indoor sports rooms, …) are applied first
    when the data carry their columns; a standard with a `parts:` section (quality-2017) is also
    judged item by item on its government, quality and recognition parts (`Assessment.parts`)."""
    std = load_standard(standard)
    county, notes = one_year(county, year)
    county, applied = official_county(county)
    notes = notes + applied
    pieces: dict[str, list[pd.DataFrame]] = {k: [] for k in ("indicators", "levels", "schools", "excluded", "contributions")}
    for name in county.counties:
        schools = county.select(county=name).schools
        schools["county"] = name
        if "school_type" not in schools:
            schools["school_type"] = "regular"
        schools["school_type"] = schools["school_type"].astype("string").fillna("regular")
        reasons = exclusion_reasons(schools, std.resources.inclusion)
        left_out = schools[reasons.notna()]
        pieces["excluded"].append(
            left_out[[c for c in SCHOOL_ID_COLUMNS if c in left_out]].assign(reason=reasons[reasons.notna()])
        )
        counted = schools[reasons.isna()]
        for level in LEVELS:
            sections = counted[counted["level"].astype(str) == level]
            if sections.empty:
                continue
            for key, frame in _assess_level(name, level, sections, std).items():
                pieces[key].append(frame)
    frames = {key: _concat(parts, COLUMNS[key]) for key, parts in pieces.items()}
    failing = frames["schools"]
    if not failing.empty:
        failing = failing[failing["meets_standard"].eq(False).fillna(False).astype(bool)]
    frames["shortfalls"] = price_shortfalls(failing, unit_costs(costs))
    assessed_year = year if year is not None else (max(county.years) if county.years else None)
    parts = parts_table(county, std, frames["levels"], frames["indicators"], assessed_year)
    return Assessment(standard=std, notes=notes, parts=parts, **frames)


def one_year(county: County, year: int | None = None) -> tuple[County, tuple[str, ...]]:
    """The county in one year: `year`, or the latest one of a panel; a certification is of one year."""
    if year is not None:
        if year not in county.years:
            raise ParameterError(f"year {year} is not in the data (years: {', '.join(map(str, county.years)) or 'none'})")
        return county.select(year=year), ()
    if len(county.years) > 1:
        latest = max(county.years)
        return county.select(year=latest), (f"the data hold {len(county.years)} years; assessed {latest}",)
    return county, ()


def _concat(parts: list[pd.DataFrame], columns: list[str]) -> pd.DataFrame:
    parts = [p for p in parts if not p.empty]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def _assess_level(county: str, level: str, sections: pd.DataFrame, std: Standard) -> dict[str, pd.DataFrame]:
    res = std.resources
    keys = list(res.indicators)
    values = indicator_values(sections, keys)
    weights = sections["students"].to_numpy(dtype=float)
    cv_max = res.cv_max[level]
    stats = [weighted_mean_cv(values[key], weights) for key in keys]
    means = np.array([s[0] for s in stats])
    cvs = np.array([s[1] for s in stats])
    decimals = res.cv_decimals
    cv_pass = cv_within_ceiling(cvs, cv_max, decimals)
    marginal = cv_marginal(cvs, cv_max)

    minimums = minimum_table(sections["level"], res)
    ratio, met = ratio_and_met(values, minimums)
    meets = meets_school_rule(values, minimums, res)
    below = [int((~met[key]).sum()) if res.has_minimums else None for key in keys]

    composite = composite_cv(cvs) if res.cv_rule == "mean" else float("nan")
    reasons = _reasons(keys, cvs, cv_max, res.cv_rule, composite, meets, decimals)
    indicators = pd.DataFrame({
        "county": county, "level": level, "key": keys, "mean": means, "cv": cvs,
        "cv_max": cv_max, "cv_pass": cv_pass, "schools_below_minimum": pd.array(below, dtype="Int64"),
        "marginal": marginal,
    })
    n_meeting = int(meets.sum()) if res.school_rule is not None else None
    levels = pd.DataFrame([{
        "county": county, "level": level, "schools": len(sections), "students": int(weights.sum()),
        "composite_cv": composite, "schools_meeting_standard": n_meeting,
        "verdict": "fail" if reasons else "pass", "reasons": tuple(reasons),
        "composite_cv_marginal": cv_marginal(composite, cv_max) if res.cv_rule == "mean" else None,
    }])
    levels["schools_meeting_standard"] = levels["schools_meeting_standard"].astype("Int64")
    levels["composite_cv_marginal"] = levels["composite_cv_marginal"].astype("boolean")
    ids = sections[[c for c in SCHOOL_ID_COLUMNS if c in sections]]
    # School-major long layout: each section's row repeated once per key, keys in standard order.
    n_keys = len(keys)
    schools = ids.loc[ids.index.repeat(n_keys)].assign(
        key=np.tile(keys, len(ids)), value=values.to_numpy().ravel(),
        minimum=minimums.to_numpy().ravel(), ratio=ratio.to_numpy().ravel(), met=met.to_numpy().ravel(),
    )
    if not res.has_minimums:
        schools["met"] = pd.NA
    schools["met"] = schools["met"].astype("boolean")
    schools["meets_standard"] = np.repeat(meets.to_numpy(), n_keys)
    schools["meets_standard"] = schools["meets_standard"].astype("boolean")
    # Under the mean rule every CV counts toward the comprehensive CV, so all are worth lowering.
    failing_keys = [k for k, ok in zip(keys, cv_pass) if not ok]
    if res.cv_rule == "mean" and not cv_within_ceiling(composite, cv_max, decimals):
        failing_keys = keys
    contributions = _contributions(county, level, sections, values, failing_keys, dict(zip(keys, cvs)))
    return {"indicators": indicators, "levels": levels, "schools": schools.reset_index(drop=True),
            "contributions": contributions}


def _reasons(keys, cvs, cv_max, cv_rule, composite, meets: pd.Series, decimals: int | None) -> list[str]:
    reasons = []
    if cv_rule == "each":
        for key, cv in zip(keys, cvs):
            if not np.isfinite(cv):
                reasons.append(f"CV of {key} cannot be computed (no data or zero mean)")
            elif not cv_within_ceiling(cv, cv_max, decimals):
                reasons.append(_above_ceiling(f"CV of {key}", cv, cv_max, decimals))
    elif not np.isfinite(composite):
        missing = [k for k, cv in zip(keys, cvs) if not np.isfinite(cv)]
        reasons.append(f"comprehensive CV cannot be computed (no CV for {', '.join(missing)})")
    elif not cv_within_ceiling(composite, cv_max, decimals):
        reasons.append(_above_ceiling("comprehensive CV", composite, cv_max, decimals))
    failing = int(meets.eq(False).sum())
    if failing:
        reasons.append(f"{failing} of {len(meets)} schools do not meet the per-school rule")
    return reasons


def _above_ceiling(what: str, cv: float, cv_max: float, decimals: int | None) -> str:
    """E.g. "CV of k is 0.502 (0.502 at 3 decimals), above 0.50 — marginal: within rounding of the ceiling"."""
    rounded = "" if decimals is None else f" ({cv_compared(cv, decimals):.{decimals}f} at {decimals} decimals)"
    marginal = f" — {MARGINAL_NOTE}" if cv_marginal(cv, cv_max) else ""
    return f"{what} is {cv:.3f}{rounded}, above {cv_max:.2f}{marginal}"


def _contributions(county, level, sections, values, failing_keys, cvs) -> pd.DataFrame:
    rows = []
    weights = sections["students"].to_numpy(dtype=float)
    for key in failing_keys:
        after = cv_after_moving_to_mean(values[key].to_numpy(), weights)
        frame = pd.DataFrame({
            "county": county, "level": level, "key": key,
            "school_id": sections["school_id"].to_numpy(), "name": sections["name"].to_numpy(),
            "students": sections["students"].to_numpy(), "value": values[key].to_numpy(),
            "cv": cvs[key], "cv_after": after, "cv_reduction": cvs[key] - after,
        }).dropna(subset=["cv_after"])
        frame = frame.sort_values("cv_reduction", ascending=False, kind="stable")
        frame["rank"] = np.arange(1, len(frame) + 1)
        rows.append(frame)
    return _concat(rows, COLUMNS["contributions"])
