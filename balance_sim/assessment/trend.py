"""The trend of the official CVs over a panel's years: where each CV started and ended, how fast
it moves (least-squares slope over the years), and how many years at that pace it needs to reach
its ceiling (docs/sources.md#basic-2012, docs/sources.md#quality-2017 ceilings, as the standard's YAML holds them).

Under a standard whose verdict rests on the comprehensive CV (basic-2012: the plain mean of the
eight CVs), the comprehensive CV gets its own row with key `composite_cv`. "Within ceiling" follows
the standard's `cv_decimals` as the verdict does; the years to the ceiling are counted to the
ceiling itself, unrounded.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.assessment.panel import PanelAssessment
from balance_sim.standards.rules import cv_within_ceiling

COMPOSITE_KEY = "composite_cv"
# A slope this small is rounding noise of an unchanged CV, not a movement.
STILL = 1e-12
TREND_COLUMNS = ["county", "level", "key", "first_year", "last_year", "years", "cv_first", "cv_last",
                 "cv_max", "change_per_year", "years_to_ceiling", "status"]


def slope(years: np.ndarray, values: np.ndarray) -> float:
    """Least-squares change per year of `values` over `years`; NaN with fewer than two years."""
    if len(years) < 2:
        return float("nan")
    x = years - years.mean()
    return float((x * (values - values.mean())).sum() / (x * x).sum())


def trend_row(years: np.ndarray, cvs: np.ndarray, cv_max: float, cv_decimals: int | None = None) -> dict:
    """The trend of one CV series (years ascending, non-finite CVs left out).

    years_to_ceiling = (last CV − ceiling) ÷ (− change per year), counted from the last year:
    null when the CV is already within its ceiling (rounded to `cv_decimals` if given), or when
    it is not falling.
    """
    known = np.isfinite(cvs)
    years, cvs = years[known].astype(float), cvs[known]
    if len(years) == 0:
        return {"first_year": None, "last_year": None, "years": 0, "cv_first": np.nan, "cv_last": np.nan,
                "cv_max": cv_max, "change_per_year": np.nan, "years_to_ceiling": np.nan, "status": "no CV"}
    change = slope(years, cvs)
    change = 0.0 if abs(change) < STILL else change
    last = cvs[-1]
    to_ceiling = np.nan
    if cv_within_ceiling(last, cv_max, cv_decimals):
        status = "within ceiling"
    elif not np.isfinite(change):
        status = "one year"
    elif change < 0:
        status = "approaching"
        to_ceiling = (last - cv_max) / -change
    else:
        status = "moving away" if change > 0 else "not moving"
    return {"first_year": int(years[0]), "last_year": int(years[-1]), "years": len(years),
            "cv_first": float(cvs[0]), "cv_last": float(last), "cv_max": cv_max,
            "change_per_year": change, "years_to_ceiling": to_ceiling, "status": status}


def trend(panel: PanelAssessment) -> pd.DataFrame:
    """Per county, level and indicator (and `composite_cv` under the mean rule): CV of the first
    and last year, change per year, years to the ceiling at that pace, and a status word."""
    series = panel.indicators[["county", "level", "key", "year", "cv", "cv_max"]]
    if panel.standard.resources.cv_rule == "mean":
        levels = panel.levels[["county", "level", "year", "composite_cv"]].rename(columns={"composite_cv": "cv"})
        ceilings = panel.standard.resources.cv_max
        levels = levels.assign(key=COMPOSITE_KEY, cv_max=levels["level"].map(ceilings).astype(float))
        series = pd.concat([series, levels[series.columns]], ignore_index=True)
    rows = []
    for (county, level, key), group in series.groupby(["county", "level", "key"], sort=False):
        group = group.sort_values("year")
        row = trend_row(group["year"].to_numpy(dtype=float), group["cv"].to_numpy(dtype=float),
                        float(group["cv_max"].iloc[-1]), panel.standard.resources.cv_decimals)
        rows.append({"county": county, "level": level, "key": key, **row})
    out = pd.DataFrame(rows, columns=TREND_COLUMNS)
    out["first_year"] = out["first_year"].astype("Int64")
    out["last_year"] = out["last_year"].astype("Int64")
    return out
