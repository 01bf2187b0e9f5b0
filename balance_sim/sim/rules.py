"""What the year loop needs from a certification standard, as arrays: indicator columns, CV
ceilings by level, per-school minimums and inclusion rules (facts.md §2–§3).

`_standard_rules(name)` is the single place where the simulation reads a standard.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import yaml

from balance_sim.county import LEVELS
from balance_sim.indicators import KEYS

STANDARDS = ("basic-2012", "quality-2017")


@dataclass(frozen=True)
class Rules:
    """One standard for the loop. `columns` index into the `KEYS` order of the indicator matrix;
    `cv_max[level]`; `minimums[level, k]` (NaN when the standard sets none)."""

    name: str
    columns: np.ndarray
    cv_rule: str
    cv_max: np.ndarray
    minimums: np.ndarray
    min_met: int
    floor_ratio: float
    exclude_teaching_points: bool
    teaching_point_min_students: float

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(KEYS[i] for i in self.columns)

    @property
    def has_minimums(self) -> bool:
        return bool(np.isfinite(self.minimums).any())


@cache
def _standard_rules(name: str) -> Rules:
    """The rules of standard `name` (basic-2012 or quality-2017) from the simulation's own copy
    of the numbers, `standard_rules.yaml` (same values and sources as `balance_sim/standards`)."""
    text = resources.files("balance_sim.sim").joinpath("standard_rules.yaml").read_text(encoding="utf-8")
    raw = yaml.safe_load(text)[name]
    keys = list(raw["indicators"])
    minimums = np.full((len(LEVELS), len(keys)), np.nan)
    for li, level in enumerate(LEVELS):
        for ki, key in enumerate(keys):
            minimums[li, ki] = raw["minimums"].get(level, {}).get(key, np.nan)
    tp_min = raw.get("teaching_point_min_students")
    return Rules(
        name=name,
        columns=np.array([KEYS.index(k) for k in keys]),
        cv_rule=raw["cv_rule"],
        cv_max=np.array([raw["cv_max"][level] for level in LEVELS], dtype=float),
        minimums=minimums,
        min_met=int(raw.get("min_met", len(keys))),
        floor_ratio=float(raw.get("floor_ratio", 1.0)),
        exclude_teaching_points="teaching_point" in raw.get("exclude_school_types", []),
        teaching_point_min_students=float(tp_min) if tp_min is not None else 0.0,
    )


def all_rules() -> tuple[Rules, ...]:
    return tuple(_standard_rules(name) for name in STANDARDS)
