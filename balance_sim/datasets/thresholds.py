"""The standards' thresholds the generator and its calibration table check the demo data against,
read from the shipped standards (`balance_sim.standards`), so the numbers live in one place."""
from __future__ import annotations

from functools import cache

from balance_sim.county import LEVELS
from balance_sim.standards import SchoolRule, load_standard


@cache
def ceilings(standard: str) -> tuple[float, ...]:
    """CV ceilings by level (primary, junior): of the comprehensive CV (basic-2012), of each CV
    (quality-2017)."""
    cv_max = load_standard(standard).resources.cv_max
    return tuple(cv_max[level] for level in LEVELS)


@cache
def quality_minimums() -> dict[str, tuple[float, ...]]:
    """quality-2017 per-school minimums: indicator key → (primary, junior), in the standard's order."""
    resources = load_standard("quality-2017").resources
    return {key: tuple(resources.minimum(level, key) for level in LEVELS) for key in resources.indicators}


def school_rule() -> SchoolRule:
    """quality-2017: at least `min_met` minimums met, the rest at least `floor_ratio` of theirs."""
    return load_standard("quality-2017").resources.school_rule


def teaching_point_min_students() -> int:
    """quality-2017 leaves out teaching points with fewer pupils than this."""
    return load_standard("quality-2017").resources.inclusion.teaching_point_min_students
