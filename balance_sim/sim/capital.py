"""Capital items: what a yuan buys and the floor each school is held to (docs/sources.md#quality-2017 per-school
minimums of quality-2017, §10 unit costs; issue 14 §2).

The six capital items are the state's ASSETS. A quantity q of item k costs q · c_k yuan
(`funding.unit_cost`; equipment is counted in yuan, c = 1). The floor of item k in a section of
level l with P pupils is P · m_lk, m_lk the quality-2017 minimum per pupil (multimedia
classrooms: per 100 pupils ÷ 100); computers and books have no quality-2017 minimum (m = 0).
Buying teaching floor area also adds classrooms: rooms += m² ÷ `teaching_area_per_classroom_m2`.
"""
from __future__ import annotations

from functools import cache

import numpy as np

from balance_sim.sim.rules import _standard_rules
from balance_sim.sim.state import ASSETS, Schools

TEACHING_AREA, SPORTS_AREA, EQUIPMENT, MULTIMEDIA, COMPUTERS, BOOKS = range(len(ASSETS))
# The policy's unit-cost leaf of each item (None: counted in yuan).
UNIT_COST_NAMES = ("teaching_area", "sports_area", None, "multimedia_classroom", "computer", "book")
# The quality-2017 indicator that holds each item's minimum (None: no minimum), and its scale.
MINIMUM_KEYS = ("teaching_area_per_student", "sports_area_per_student", "equipment_value_per_student",
                "multimedia_classrooms_per_100", None, None)
MINIMUM_PER = np.array([1.0, 1.0, 1.0, 100.0, 1.0, 1.0])


def unit_costs(unit_cost) -> np.ndarray:
    """c_k, yuan per unit of each item (ASSETS order), from `policy.funding.unit_cost`."""
    return np.array([1.0 if name is None else float(getattr(unit_cost, name)) for name in UNIT_COST_NAMES])


@cache
def minimums() -> np.ndarray:
    """m_lk (2 levels × 6 items): the quality-2017 minimum per pupil, 0 where it sets none."""
    rules = _standard_rules("quality-2017")
    out = np.zeros((2, len(ASSETS)))
    for k, key in enumerate(MINIMUM_KEYS):
        if key is not None:
            out[:, k] = rules.minimums[:, rules.keys.index(key)] / MINIMUM_PER[k]
    out.flags.writeable = False
    return out


def buy(s: Schools, yuan: np.ndarray, costs: np.ndarray, area_per_classroom: float) -> np.ndarray:
    """Quantities bought with `yuan` (sections × items) at unit costs, added to the assets, and
    their floor area to the rooms (in place). Returns the quantities."""
    quantity = yuan / costs
    s.assets += quantity
    s.rooms += quantity[:, TEACHING_AREA] / area_per_classroom
    return quantity
