"""A certification standard as frozen data: indicators, per-school minimums, CV ceilings,
verdict rule and inclusion rules (教督〔2012〕3号, 教督〔2017〕6号; docs/sources.md#cv, docs/sources.md#basic-2012, docs/sources.md#quality-2017).

Built by `balance_sim.standards.load_standard` from one YAML file per standard.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, Mapping

CvRule = Literal["each", "mean"]


@dataclass(frozen=True)
class SchoolRule:
    """A school section meets the standard when at least `min_met` minimums are met and every
    other indicator reaches at least `floor_ratio` of its minimum (quality-2017: 6 and 0.85)."""

    min_met: int
    floor_ratio: float
    source: str = ""


@dataclass(frozen=True)
class Inclusion:
    """Which school sections are counted.

    `exclude_school_types`: types left out altogether (basic-2012: teaching points);
    `teaching_point_min_students`: teaching points with fewer pupils are left out
    (quality-2017: 50); `exclude_zero_enrolment`: sections without pupils are left out.
    """

    exclude_school_types: tuple[str, ...] = ()
    teaching_point_min_students: int | None = None
    exclude_zero_enrolment: bool = True
    source: str = ""


@dataclass(frozen=True)
class Resources:
    """The resource-allocation part: what the schools table decides.

    `cv_max[level]` is the ceiling of each CV (`cv_rule="each"`) or of their plain mean
    (`cv_rule="mean"`, the 2012 comprehensive CV). `cv_decimals` is the number of decimals the
    value compared with the ceiling is rounded to first, as the province publishes it (None:
    unrounded); under the mean rule that value is the comprehensive CV, the mean of the unrounded
    CVs. `minimums[level][key]` are per-school minimums (empty when the standard has none).
    """

    indicators: tuple[str, ...]
    cv_max: Mapping[str, float]
    cv_rule: CvRule
    minimums: Mapping[str, Mapping[str, float]]
    school_rule: SchoolRule | None
    inclusion: Inclusion
    not_assessed: tuple[str, ...] = ()
    cv_source: str = ""
    minimums_source: str = ""
    cv_decimals: int | None = None
    cv_decimals_source: str = ""

    @property
    def has_minimums(self) -> bool:
        return bool(self.minimums)

    def minimum(self, level: str, key: str) -> float | None:
        return self.minimums.get(level, {}).get(key)


@dataclass(frozen=True)
class Standard:
    """One standard. `parts` keeps the raw top-level `parts:` section (items that are not per
    school) for the modules that assess them; the resource part is typed in `resources`."""

    name: str
    title_en: str
    title_zh: str
    source: str
    year: int | None
    resources: Resources
    path: str
    parts: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def indicators(self) -> tuple[str, ...]:
        return self.resources.indicators
