"""Arrays derived once per policy from the policy and the standards (unit costs, minimums, norms,
coefficients, the dated values of each year), so the year loop does no lookups in the parameter
tree. A policy never changes (frozen dataclasses), so the runs of one policy object (scenarios,
replications, seeds of a sweep) share them; nothing in a run writes into them."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from balance_sim.indicators import KEYS
from balance_sim.sim.rules import _standard_rules
from balance_sim.sim.state import ASSETS

# Capital items in ASSETS order: the policy's unit-cost and mix names, and the quality-2017
# indicator each one raises (None: the standard sets no minimum for it).
UNIT_COST_NAMES = ("teaching_area", "sports_area", None, "multimedia_classroom", "computer", "book")
MIX_NAMES = ("teaching_area", "sports_area", "equipment", "multimedia_classrooms", "computers", "books")
NEED_KEYS = ("teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student",
             "multimedia_classrooms_per_100", None, None)
NEED_PER = np.array([1.0, 1.0, 1.0, 100.0, 100.0, 1.0])


class YearValues(NamedTuple):
    """The policy's dated values for one year (facts.md §8 retirement ages, §9 benchmarks)."""

    retirement_age: np.ndarray  # int8 (male, female)
    public_funds_rate: np.ndarray  # yuan per pupil by level
    boarding_supplement: float  # yuan per boarder


@dataclass(frozen=True)
class Constants:
    unit_costs: np.ndarray  # yuan per unit of each capital item (ASSETS order)
    need_minimums: np.ndarray  # (2 levels × 6 items) quality-2017 minimum per pupil, 0 where none
    capital_mix: np.ndarray  # shares of the capital items
    class_limit: np.ndarray  # pupils per class by level
    pupils_per_teacher: np.ndarray  # staffing norm by level
    quality_columns: np.ndarray  # indicator columns of quality-2017
    quality_minimums: np.ndarray  # (2 × 7)
    quality_beta: np.ndarray  # (7,)
    attrition: np.ndarray  # by location, rural after the allowance factor
    allowance_factor: float
    promotion: np.ndarray  # probability of the next title, by current title (none … professor)
    training_probability: np.ndarray  # a teacher's chance of training this year: (town or urban, rural)
    policy: object = field(default=None, repr=False, compare=False)  # for the dated values
    _dated: dict = field(default_factory=dict, repr=False, compare=False)  # year → YearValues, on first use

    def dated(self, year: int) -> YearValues:
        """The dated values of `year`, looked up in the policy tree once per run and year."""
        if year not in self._dated:
            tp, f = self.policy.teachers, self.policy.funding
            self._dated[year] = YearValues(
                retirement_age=np.array([tp.retirement_age.male.at(year), tp.retirement_age.female.at(year)], np.int8),
                public_funds_rate=np.array([f.public_funds_per_pupil.primary.at(year), f.public_funds_per_pupil.junior.at(year)],
                                           np.float64),
                boarding_supplement=float(f.boarding_supplement.at(year)),
            )
        return self._dated[year]


# The policies whose constants were made last, by id (each kept, so its id stays its own).
_KEPT: dict[int, Constants] = {}
KEEP = 16


def constants(policy) -> Constants:
    """The constants of `policy`, made on its first run and kept for the next runs."""
    kept = _KEPT.get(id(policy))
    if kept is not None and kept.policy is policy:
        return kept
    made = _KEPT[id(policy)] = _constants(policy)
    while len(_KEPT) > KEEP:
        del _KEPT[next(iter(_KEPT))]  # the oldest first
    return made


def _constants(policy) -> Constants:
    f, tp = policy.funding, policy.teachers
    rules = _standard_rules("quality-2017")
    need = np.zeros((2, len(ASSETS)))
    for k, key in enumerate(NEED_KEYS):
        if key is not None:
            need[:, k] = rules.minimums[:, list(rules.keys).index(key)] / NEED_PER[k]
    factor = float(np.exp(-tp.allowance_effect_per_1000 * tp.hardship_allowance_yuan_month / 1000.0))
    rate = tp.attrition_rate
    p = tp.promotion_probability
    return Constants(
        unit_costs=np.array([1.0 if n is None else getattr(f.unit_cost, n) for n in UNIT_COST_NAMES]),
        need_minimums=need,
        capital_mix=np.array([getattr(f.capital_mix, m) for m in MIX_NAMES]),
        class_limit=np.array([policy.enrolment.class_size_limit.primary, policy.enrolment.class_size_limit.junior]),
        pupils_per_teacher=np.array([tp.pupils_per_teacher.primary, tp.pupils_per_teacher.junior]),
        quality_columns=rules.columns,
        quality_minimums=rules.minimums,
        quality_beta=np.array([getattr(policy.quality.coefficients, KEYS[c]) for c in rules.columns]),
        attrition=np.array([rate.urban, rate.town, rate.rural * factor]),
        allowance_factor=factor,
        promotion=np.array([p.junior, p.intermediate, p.senior, p.professor, 0.0]),
        training_probability=np.minimum(tp.training_rate * np.array([1.0, tp.rural_training_priority]), 1.0),
        policy=policy,
    )
