"""What a school lacks to reach a standard's per-school minimums, in natural units (m² of floor
area, m² of sports area, yuan of equipment, teachers, classrooms) and priced in yuan.

missing = (minimum − value) × pupils ÷ per  (per = 1 for per-pupil, 100 for per-100 indicators).
Unit costs come from `assess/unit_costs.yaml`; all but equipment are assumptions (docs/sources.md#assumptions);
teachers are priced as a yearly salary cost, the rest as one-off spending.
"""
from __future__ import annotations

import math
from functools import cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from balance_sim.errors import InputError, Problem
from balance_sim.indicators import definitions
from balance_sim.yaml_input import read_yaml

COLUMNS = [
    "county", "level", "school_id", "name", "key", "value", "minimum", "ratio", "missing", "unit",
    "missing_whole", "yuan_per_unit", "cost_yuan", "basis", "cost_source",
]
# Things that come whole: teachers, rooms, computers and books are counted up to the next unit.
WHOLE_UNITS = {"teachers", "teachers_above_degree", "teachers_mid_senior_title", "backbone_teachers",
               "pe_art_teachers", "multimedia_classrooms", "computers", "books"}


@cache
def _default_unit_costs() -> dict:
    text = resources.files("balance_sim.assessment").joinpath("unit_costs.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)


def unit_costs(path: str | Path | None = None) -> dict[str, dict]:
    """Unit costs by indicator key: `unit`, `yuan_per_unit`, `basis`, `source`.

    `path` replaces the shipped defaults key by key (a partial file overrides only what it names).
    """
    costs = {key: dict(spec) for key, spec in _default_unit_costs().items()}
    if path is None:
        return costs
    override = read_yaml(Path(path)) or {}
    problems = []
    for key, spec in override.items() if isinstance(override, dict) else []:
        if key not in costs or not isinstance(spec, dict):
            problems.append(Problem(str(path), None, str(key), "unknown indicator key or not a mapping"))
            continue
        price = spec.get("yuan_per_unit", costs[key]["yuan_per_unit"])
        if isinstance(price, bool) or not isinstance(price, (int, float)) or price < 0:
            problems.append(Problem(str(path), None, f"{key}.yuan_per_unit", "must be a number ≥ 0"))
        costs[key].update(spec)
    if not isinstance(override, dict):
        problems.append(Problem(str(path), None, None, "must be a mapping of indicator keys"))
    if problems:
        raise InputError(problems)
    return costs


def shortfalls(schools: pd.DataFrame, costs: dict[str, dict] | None = None) -> pd.DataFrame:
    """One row per school section and indicator below its minimum.

    `schools` is the tidy per-school table of an Assessment (columns county, level, school_id,
    name, students, key, value, minimum). A missing value counts as 0 (everything is lacking).
    """
    costs = costs or unit_costs()
    below = schools[schools["minimum"].notna()].copy()
    value = below["value"].astype(float).fillna(0.0)
    below = below[value < below["minimum"] * (1 - 1e-9)]
    if below.empty:
        return pd.DataFrame(columns=COLUMNS)
    value = below["value"].astype(float).fillna(0.0)
    per = below["key"].map(lambda k: definitions()[k].per).astype(float)
    missing = (below["minimum"] - value) * below["students"].astype(float) / per
    numerator = below["key"].map(lambda k: definitions()[k].numerator)
    whole = np.where(numerator.isin(WHOLE_UNITS), missing.map(lambda m: math.ceil(m - 1e-9)), missing)
    spec = below["key"].map(lambda k: costs[k])
    price = spec.map(lambda s: float(s["yuan_per_unit"]))
    out = below.assign(
        ratio=value / below["minimum"],
        missing=missing,
        unit=spec.map(lambda s: s["unit"]),
        missing_whole=whole,
        yuan_per_unit=price,
        # Whole units are what is bought or hired; areas and yuan are priced as they are.
        cost_yuan=whole * price,
        basis=spec.map(lambda s: s["basis"]),
        cost_source=spec.map(lambda s: s["source"]),
    )
    return out[[c for c in COLUMNS if c in out]].reset_index(drop=True)
