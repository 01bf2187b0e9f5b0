"""What the year loop needs from a certification standard, as arrays: indicator columns, CV
ceilings by level, per-school minimums and inclusion rules (docs/sources.md#basic-2012, docs/sources.md#quality-2017).

`_standard_rules(name)` is the single place where the simulation reads a standard.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from balance_sim.county import LEVELS
from balance_sim.indicators import KEYS
from balance_sim.standards import load_standard

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
    cv_decimals: int | None = None  # the standard file's rounding before the comparison (None: unrounded)

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(KEYS[i] for i in self.columns)

    @property
    def has_minimums(self) -> bool:
        return bool(np.isfinite(self.minimums).any())

    def minimum(self, key: str) -> np.ndarray:
        """The per-school minimum of indicator `key`, by level (a copy)."""
        return self.minimums[:, self.keys.index(key)].copy()

    def counts(self, is_open, pupils, teaching_point):
        """Which sections the standard counts: open, with pupils, teaching points as it allows
        (arrays broadcast: per section, or years × sections)."""
        keep = is_open & (pupils > 0)
        if self.exclude_teaching_points:
            keep = keep & ~teaching_point
        return keep & (~teaching_point | (pupils >= self.teaching_point_min_students))


@cache
def _standard_rules(name: str) -> Rules:
    """The rules of standard `name` (basic-2012 or quality-2017), read once from
    `balance_sim.standards` (the standards' YAML files, with their sources)."""
    resources = load_standard(name).resources
    keys = list(resources.indicators)
    minimums = np.full((len(LEVELS), len(keys)), np.nan)
    for li, level in enumerate(LEVELS):
        for ki, key in enumerate(keys):
            value = resources.minimum(level, key)
            minimums[li, ki] = np.nan if value is None else value
    school_rule = resources.school_rule
    inclusion = resources.inclusion
    tp_min = inclusion.teaching_point_min_students
    return Rules(
        name=name,
        columns=np.array([KEYS.index(k) for k in keys]),
        cv_rule=resources.cv_rule,
        cv_max=np.array([resources.cv_max[level] for level in LEVELS], dtype=float),
        minimums=minimums,
        min_met=school_rule.min_met if school_rule else len(keys),
        floor_ratio=school_rule.floor_ratio if school_rule else 1.0,
        exclude_teaching_points="teaching_point" in inclusion.exclude_school_types,
        teaching_point_min_students=float(tp_min) if tp_min is not None else 0.0,
        cv_decimals=resources.cv_decimals,
    )


def all_rules() -> tuple[Rules, ...]:
    return tuple(_standard_rules(name) for name in STANDARDS)
