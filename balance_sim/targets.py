"""The county's own targets (docs/sources.md#county-targets, docs/sources.md#county-targets): standardisation rate, urban–rural balance
coefficient, small-class share, rural : urban backbone-teacher ratio, large classes and schools
below the consolidation thresholds. Targets and definitions live in `targets.yaml`.
"""
from __future__ import annotations

import operator
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from balance_sim.assessment import assess
from balance_sim.assessment.core import one_year
from balance_sim.county import County
from balance_sim.errors import ParameterError
from balance_sim.standards import Standard

COLUMNS = ["county", "key", "en", "zh", "value", "target", "rule", "pass", "status", "phase", "unit",
           "definition", "source"]
RULES = {">=": operator.ge, "<=": operator.le, "<": operator.lt, ">": operator.gt}
URBAN = ("urban", "town")


@cache
def target_definitions() -> dict[str, dict]:
    """The shipped targets by key (see targets.yaml)."""
    text = resources.files("balance_sim").joinpath("targets.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def county_targets(
    county: County, standard: str | Path | Standard = "quality-2017", phase: str = "goal",
    year: int | None = None,
) -> pd.DataFrame:
    """One row per county and target: value, target, rule, pass (<NA> when not assessable).

    `phase`: "start" (the near-term targets) or "goal"; a panel is measured in `year` (default:
    its latest year)."""
    if phase not in ("start", "goal"):
        raise ParameterError(f"phase must be 'start' or 'goal', got {phase!r}")
    county, _ = one_year(county, year)
    assessment = assess(county, standard)
    specs = target_definitions()
    rows = []
    for name in county.counties:
        schools = county.select(county=name).schools
        schools = schools[pd.to_numeric(schools["students"], errors="coerce").fillna(0) > 0]
        counted = assessment.schools[assessment.schools["county"] == name]
        values = _values(schools, counted, specs, assessment.standard)
        for key, spec in specs.items():
            value, target, rule = values.get(key, np.nan), spec.get(phase), spec["rule"]
            assessable = target is not None and np.isfinite(value)
            passed = bool(RULES[rule](value, target)) if assessable else pd.NA
            rows.append({
                "county": name, "key": key, "en": spec["en"], "zh": spec["zh"], "value": value,
                "target": np.nan if target is None else float(target), "rule": rule, "pass": passed,
                "status": "not_assessable" if not assessable else ("pass" if passed else "fail"),
                "phase": phase, "unit": spec["unit"], "definition": spec["definition"],
                "source": spec["source"],
            })
    out = pd.DataFrame(rows, columns=COLUMNS)
    out["pass"] = out["pass"].astype("boolean")
    return out


def _values(schools: pd.DataFrame, counted: pd.DataFrame, specs: dict, standard: Standard) -> dict[str, float]:
    sections = counted.drop_duplicates(["level", "school_id"])
    meets = sections["meets_standard"]
    out = {
        "standardisation_rate": float(meets.astype(float).mean()) if meets.notna().any() else np.nan,
        "urban_rural_balance": urban_rural_balance(counted),
        "backbone_rural_urban_ratio": _backbone_ratio(schools),
    }
    if "classes" in schools:
        classes = pd.to_numeric(schools["classes"], errors="coerce")
        size = schools["students"] / classes.where(classes > 0)
        small = size <= specs["small_class_share"]["small_class_max_pupils"]
        out["small_class_share"] = float(classes[small].sum() / classes.sum()) if classes.sum() > 0 else np.nan
        for key in ("large_class_sections", "super_large_class_sections"):
            out[key] = float((size > specs[key]["class_size_over"]).sum())
        junior = schools["level"].astype(str) == "junior"
        out["small_junior_schools"] = float((junior & (classes < specs["small_junior_schools"]["classes_under"])).sum())
    school_type = schools["school_type"].astype(str) if "school_type" in schools else pd.Series("regular", index=schools.index)
    primary = (schools["level"].astype(str) == "primary") & (school_type != "teaching_point")
    out["small_primary_schools"] = float((primary & (schools["students"] < specs["small_primary_schools"]["pupils_under"])).sum())
    return out


def urban_rural_balance(counted: pd.DataFrame) -> float:
    """Mean over (level, indicator) of min(rural, urban+town) / max(…) of enrolment-weighted means.

    `counted`: the tidy per-school table of an Assessment (location, students, key, value).
    """
    if counted.empty:
        return np.nan
    frame = counted.dropna(subset=["value"]).assign(
        side=lambda f: np.where(f["location"].astype(str).isin(URBAN), "urban", "rural"),
        weighted=lambda f: f["value"] * f["students"],
    )
    sums = frame.groupby(["level", "key", "side"])[["weighted", "students"]].sum()
    means = (sums["weighted"] / sums["students"]).unstack("side")
    if not {"urban", "rural"} <= set(means.columns):
        return np.nan
    pairs = means.dropna(subset=["urban", "rural"])
    high = pairs[["urban", "rural"]].max(axis=1)
    ratios = pairs[["urban", "rural"]].min(axis=1) / high.where(high > 0)
    return float(ratios.mean()) if ratios.notna().any() else np.nan


def _backbone_ratio(schools: pd.DataFrame) -> float:
    if "backbone_teachers" not in schools:
        return np.nan
    urban = schools["location"].astype(str).isin(URBAN)
    per_100 = {}
    for side, mask in (("urban", urban), ("rural", ~urban)):
        pupils = schools.loc[mask, "students"].sum()
        per_100[side] = schools.loc[mask, "backbone_teachers"].sum() / pupils * 100 if pupils > 0 else np.nan
    return float(per_100["rural"] / per_100["urban"]) if per_100["urban"] > 0 else np.nan
