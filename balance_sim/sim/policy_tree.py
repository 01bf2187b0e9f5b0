"""The shape of the policy tree: one frozen dataclass per section, each field with its type and
allowed range (`low`, `high`, `choices`); values and sources live in `default_policy.yaml`.
Loading and validation: `policy.py`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from balance_sim.errors import ParameterError


@dataclass(frozen=True)
class Dated:
    """A value that changes over time: `pairs` are (first year it holds, value), sorted."""

    pairs: tuple[tuple[int, float], ...]

    def at(self, year: int) -> float:
        """The value in force in `year` (the earliest value before the first year given)."""
        value = self.pairs[0][1]
        for start, v in self.pairs:
            if start <= year:
                value = v
        return value


def _spec(low=None, high=None, choices=None):
    return field(metadata={"low": low, "high": high, "choices": choices})


SHARE = dict(low=0.0, high=1.0)
GROWTH = dict(low=-0.5, high=1.0)
POSITIVE = dict(low=0.0, high=None)


@dataclass(frozen=True)
class ByLevel:
    primary: float = _spec(**POSITIVE)
    junior: float = _spec(**POSITIVE)


@dataclass(frozen=True)
class DatedByLevel:
    primary: Dated = _spec(**POSITIVE)
    junior: Dated = _spec(**POSITIVE)


@dataclass(frozen=True)
class Consolidation:
    enabled: bool = _spec()
    primary_min_students: int = _spec(low=0, high=5000)
    junior_min_classes: int = _spec(low=0, high=100)
    keep_teaching_points: bool = _spec()


@dataclass(frozen=True)
class Enrolment:
    births_change: float = _spec(**GROWTH)
    primary_progression: float = _spec(**SHARE)
    junior_progression: float = _spec(**SHARE)
    transition_rate: float = _spec(**SHARE)
    urbanisation_rate: float = _spec(**SHARE)
    choice_sensitivity: float = _spec(low=0.0, high=10.0)
    nearest_school_enforcement: float = _spec(**SHARE)
    choice_max_share: float = _spec(**SHARE)
    class_size_limit: ByLevel = _spec()
    teaching_area_per_classroom_m2: float = _spec(low=1.0, high=10000.0)
    consolidation: Consolidation = _spec()


@dataclass(frozen=True)
class Capacity:
    intake_caps: bool = _spec()
    extension_classrooms_per_year: Dated = _spec(low=0.0, high=100000.0)


@dataclass(frozen=True)
class UnitCost:
    teaching_area: float = _spec(low=1.0, high=None)
    sports_area: float = _spec(low=1.0, high=None)
    multimedia_classroom: float = _spec(low=1.0, high=None)
    computer: float = _spec(low=1.0, high=None)
    book: float = _spec(low=0.01, high=None)


@dataclass(frozen=True)
class CapitalMix:
    """Shares of capital items (no longer a field of `Funding`: new funds are spent on each school's
    gaps, funding.py; policy.py still checks the sum of any CapitalMix)."""

    teaching_area: float = _spec(**SHARE)
    sports_area: float = _spec(**SHARE)
    equipment: float = _spec(**SHARE)
    multimedia_classrooms: float = _spec(**SHARE)
    computers: float = _spec(**SHARE)
    books: float = _spec(**SHARE)


@dataclass(frozen=True)
class Funding:
    budget_growth: float = _spec(**GROWTH)
    revenue_growth: float = _spec(**GROWTH)
    price_growth: float = _spec(**GROWTH)
    other_share: float = _spec(low=0.0, high=5.0)
    rural_share: Dated = _spec(**SHARE)
    allocation_rule: str = _spec(choices=("per_pupil", "per_school", "need"))
    weak_school_tilt: float = _spec(low=0.0, high=10.0)
    need_target: float = _spec(low=0.0, high=5.0)
    upgrade_target: float = _spec(low=0.0, high=10.0)
    public_funds_per_pupil: DatedByLevel = _spec()
    small_school_floor: int = _spec(low=0, high=10000)
    boarding_supplement: Dated = _spec(**POSITIVE)
    teacher_pay_yuan: float = _spec(**POSITIVE)
    teacher_pay_raise: Dated = _spec(low=0.0, high=5.0)
    teacher_pay_growth: float = _spec(**GROWTH)
    training_cost_per_teacher: float = _spec(**POSITIVE)
    cycle_cost_per_teacher: float = _spec(**POSITIVE)
    backbone_training_cost_per_teacher: float = _spec(**POSITIVE)
    subject_retraining_cost_per_teacher: float = _spec(**POSITIVE)
    unit_cost: UnitCost = _spec()
    equipment_life_years: float = _spec(low=1.0, high=100.0)
    computer_life_years: float = _spec(low=1.0, high=100.0)
    book_life_years: float = _spec(low=1.0, high=200.0)


@dataclass(frozen=True)
class RetirementAge:
    male: Dated = _spec(low=40, high=80)
    female: Dated = _spec(low=40, high=80)


@dataclass(frozen=True)
class ByLocation:
    urban: float = _spec(**SHARE)
    town: float = _spec(**SHARE)
    rural: float = _spec(**SHARE)


@dataclass(frozen=True)
class NewDegree:
    associate: float = _spec(**SHARE)
    bachelor: float = _spec(**SHARE)
    postgraduate: float = _spec(**SHARE)


@dataclass(frozen=True)
class Promotion:
    junior: float = _spec(**SHARE)
    intermediate: float = _spec(**SHARE)
    senior: float = _spec(**SHARE)
    professor: float = _spec(**SHARE)


@dataclass(frozen=True)
class ItinerantPeArt:
    enabled: bool = _spec()
    pupils_from: int = _spec(low=0, high=5000)
    pupils_below: int = _spec(low=0, high=5000)
    schools_per_teacher: float = _spec(low=1.0, high=50.0)
    cost_yuan_per_teacher_year: float = _spec(**POSITIVE)


@dataclass(frozen=True)
class Teachers:
    retirement_age: RetirementAge = _spec()
    attrition_rate: ByLocation = _spec()
    hardship_allowance_yuan_month: Dated = _spec(low=0.0, high=20000.0)
    allowance_effect_per_1000: float = _spec(low=0.0, high=10.0)
    drift_rate: float = _spec(**SHARE)
    drift_backbone_factor: float = _spec(low=0.0, high=20.0)
    pupils_per_teacher: ByLevel = _spec()
    small_school_students: int = _spec(low=0, high=5000)
    teachers_per_class_small: float = _spec(low=0.0, high=10.0)
    max_hires_share: float = _spec(**SHARE)
    new_teacher_age: int = _spec(low=18, high=40)
    new_teacher_female_share: float = _spec(**SHARE)
    new_teacher_degree: NewDegree = _spec()
    new_teacher_pe_art_share: float = _spec(**SHARE)
    hire_by_subject: bool = _spec()
    itinerant_pe_art: ItinerantPeArt = _spec()
    training_rate: Dated = _spec(**SHARE)
    training_completion_rate: Dated = _spec(**SHARE)
    training_cycle_years: int = _spec(low=1, high=10)
    rural_training_priority: float = _spec(low=0.0, high=20.0)
    degree_upgrade_probability: float = _spec(**SHARE)
    backbone_probability: float = _spec(**SHARE)
    backbone_training_per_year: Dated = _spec(low=0.0, high=100000.0)
    subject_retraining_per_year: Dated = _spec(low=0.0, high=100000.0)
    promotion_probability: Promotion = _spec()
    rural_service_before_senior: bool = _spec()
    rural_service_years_required: int = _spec(low=0, high=20)
    exchange_rate: Dated = _spec(**SHARE)
    exchange_min_years: int = _spec(low=0, high=40)
    backbone_share_min: Dated = _spec(**SHARE)
    exchange_term_years: int = _spec(low=1, high=20)
    exchange_stay_probability: float = _spec(**SHARE)
    exchange_to_minimum: bool = _spec()
    pool_rebalancing: bool = _spec()


@dataclass(frozen=True)
class QualityCoefficients:
    above_degree_teachers_per_100: float = _spec(low=-10.0, high=10.0)
    backbone_teachers_per_100: float = _spec(low=-10.0, high=10.0)
    pe_art_teachers_per_100: float = _spec(low=-10.0, high=10.0)
    teaching_area_per_student: float = _spec(low=-10.0, high=10.0)
    sports_area_per_student: float = _spec(low=-10.0, high=10.0)
    equipment_value_per_student: float = _spec(low=-10.0, high=10.0)
    multimedia_classrooms_per_100: float = _spec(low=-10.0, high=10.0)


@dataclass(frozen=True)
class Quality:
    intercept: float = _spec(low=-100.0, high=100.0)
    coefficients: QualityCoefficients = _spec()
    ratio_cap: float = _spec(low=0.0, high=100.0)
    class_size_penalty: float = _spec(low=0.0, high=100.0)


@dataclass(frozen=True)
class Targets:
    small_class_size: int = _spec(low=1, high=200)
    large_class_size: int = _spec(low=1, high=200)
    super_large_class_size: int = _spec(low=1, high=200)


@dataclass(frozen=True)
class Roster:
    female_share: float = _spec(**SHARE)
    min_age: int = _spec(low=16, high=40)
    max_years_at_school: int = _spec(low=0, high=45)


@dataclass(frozen=True)
class Policy:
    """The whole tree. Build with `load_policy()`; change with `policy.override({...})`."""

    start_year: int = _spec(low=1949, high=2200)
    enrolment: Enrolment = _spec()
    capacity: Capacity = _spec()
    funding: Funding = _spec()
    teachers: Teachers = _spec()
    quality: Quality = _spec()
    targets: Targets = _spec()
    roster: Roster = _spec()

    def override(self, changes: dict[str, object]) -> Policy:
        """A new policy with the leaves at the given key paths replaced (values validated)."""
        from balance_sim.sim.policy import override

        return override(self, changes)

    def value(self, path: str, year: int | None = None) -> float:
        """The number at a key path in force in `year` (a dated leaf's first value when no year
        is given), e.g. `policy.value("funding.rural_share", 2027)`."""
        node = self.get(path)
        if isinstance(node, Dated):
            return node.at(node.pairs[0][0] if year is None else year)
        return node

    def get(self, path: str):
        """The value at a key path, e.g. `policy.get("funding.rural_share")`."""
        node = self
        for part in path.split("."):
            if isinstance(node, Dated) or not hasattr(node, "__dataclass_fields__") or part not in node.__dataclass_fields__:
                raise ParameterError(f"{path}: unknown key")
            node = getattr(node, part)
        return node
