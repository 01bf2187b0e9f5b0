"""New funds: the year's increment, earmarked by `rural_share`, spent on each group's gaps —
first to the floor, then upgrading — and what a group cannot use carried over for it (docs/sources.md#moe-2005
"new funds go mainly to rural schools", weak-school renovation, "fill what is missing";
issue 14 §2 capital step 2).

Pools of the two groups g (0 non-rural: urban and town sections; 1 rural), with N_t the year's
increment left after every claim (funding.py) and K_g what g carried over from last year:

    E_1 = ρ_t · N_t + K_1          E_0 = (1 − ρ_t) · N_t + K_0          (ρ_t = rural_share)

Gaps of an open section i with pupils, item k, in yuan (A_ik its stock, P_i its pupils, m_lk the
quality-2017 minimum per pupil, c_k the unit cost; capital.py):

    floor     f_ik = max(0, θ · m_lk · P_i − A_ik) · c_k                       θ = need_target
              teaching area: max(that, room_i · c_k),  room_i = max(0, ⌈P_i / limit_l⌉ − ⌊rooms_i⌋) · a
              (a the m² of a classroom: a school whose rooms cannot seat its pupils in classes
              within the class-size limit needs rooms; small schools that teach several grades
              in one room within the limit do not)
    upgrade   u_ik = max(0, U · m_lk · P_i − A_ik − f_ik / c_k) · c_k          U = upgrade_target

Two stages in order, floor then upgrade; in each the group's money left is shared by the rule's
weight, no school beyond its gap G_i = Σ_k g_ik (water filling):

    x_i = min(λ · w_i, G_i),  λ such that Σ x_i = min(E, Σ G_i)
    w_i = (G_i | P_i | 1) · (1 + weak_school_tilt · weak_i)    need | per_pupil | per_school

and a school's share buys its gaps of the stage in proportion, y_ik = x_i · g_ik / G_i. What
is left after both stages is carried over within the group, K_g' = E_g − Σ_{i∈g} Σ_k y_ik: never
given to the other group. A group with no open section with pupils cannot receive: its pool is
reported unspent.

Every county has its own two groups (group code = county position × 2 + rural): a county's
pools are spent on its own sections only, and its carried-over yuan stay in its groups.
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from balance_sim.sim import groups
from balance_sim.sim.capital import TEACHING_AREA, minimums
from balance_sim.sim.state import Schools

RULES = ("per_pupil", "per_school", "need")


class Gaps(NamedTuple):
    """Yuan each section lacks, by item (sections × items): to the floor, then to the upgrade target."""

    floor: np.ndarray
    upgrade: np.ndarray


class Shared(NamedTuple):
    """What the earmark did in one year."""

    yuan: np.ndarray  # sections × items, spent
    used: np.ndarray  # (counties, 2) yuan spent by group
    carried: np.ndarray  # (counties, 2) yuan carried over by group
    unspent: np.ndarray  # (counties,) pools of groups without a school that can receive


def gaps(s: Schools, pupils: np.ndarray, costs: np.ndarray, need_target: float, upgrade_target: float,
         class_limit: np.ndarray, area_per_classroom: float) -> Gaps:
    """f_ik and u_ik of every section (0 for closed sections and sections without pupils)."""
    receives = s.open & (pupils > 0)
    enrolled = np.where(receives, pupils, 0.0)[:, None]
    per_pupil = minimums()[s.level]
    short_area = np.maximum(need_target * per_pupil * enrolled - s.assets, 0.0)
    seats = np.ceil(enrolled[:, 0] / class_limit[s.level] - 1e-9)
    rooms = np.maximum(seats - np.floor(s.rooms + 1e-9), 0.0)
    short_area[:, TEACHING_AREA] = np.maximum(short_area[:, TEACHING_AREA], rooms * area_per_classroom)
    short_area[~receives] = 0.0
    above = np.maximum(upgrade_target * per_pupil * enrolled - s.assets - short_area, 0.0)
    above[~receives] = 0.0
    return Gaps(short_area * costs, above * costs)


def fill(money: np.ndarray, weight: np.ndarray, cap: np.ndarray, group: np.ndarray) -> np.ndarray:
    """x_i = min(λ_g · w_i, cap_i) with Σ_{i∈g} x_i = min(money_g, Σ_{i∈g} cap_i), in every group g
    (`group`: each element's group, `money`: one per group); only i with w_i > 0 receive."""
    x = np.zeros(len(cap))
    take = np.flatnonzero((weight > 0) & (cap > 0))
    if not len(take):
        return x
    g, w, c = group[take], weight[take], cap[take]
    ratio = c / w
    # Within each group by λ at which the element reaches its cap (ties in element order).
    order = np.lexsort((ratio, g))
    g, w, c, ratio, take = g[order], w[order], c[order], ratio[order], take[order]
    n_groups = len(money)
    money_g = money[g]
    total_cap = np.bincount(g, weights=c, minlength=n_groups)[g]
    capped = groups.cumsum_within(c, g)  # given when λ reaches ratio_j: the caps up to j …
    w_total = np.bincount(g, weights=w, minlength=n_groups)[g]
    given = capped + ratio * (w_total - groups.cumsum_within(w, g))  # … plus λ × the weights after j
    start = np.searchsorted(g, g, side="left")
    rank = np.arange(len(g)) - start
    # j: the elements of the group at their caps (given below the money); the rest share by weight.
    j = np.bincount(g[given < money_g], minlength=n_groups)[g]
    full = np.where(j > 0, capped[np.maximum(start + j - 1, 0)], 0.0)
    sharing = rank >= j
    w_rest = np.bincount(g[sharing], weights=w[sharing], minlength=n_groups)[g]
    with np.errstate(divide="ignore", invalid="ignore"):
        filled = np.where(w_rest > 0, np.minimum((money_g - full) / w_rest * w, c), c)
    filled = np.where(money_g >= total_cap, c, filled)
    x[take] = np.where(money_g > 0, filled, 0.0)
    return x


def weights(rule: str, gap: np.ndarray, pupils: np.ndarray, weak: np.ndarray, tilt: float) -> np.ndarray:
    base = {"need": gap, "per_pupil": pupils, "per_school": np.ones(len(gap))}[rule]
    return base * (1.0 + tilt * weak)


def spend_groups(money: np.ndarray, members: np.ndarray, group: np.ndarray, stages: Gaps, pupils: np.ndarray,
                 weak: np.ndarray, rule: str, tilt: float) -> np.ndarray:
    """Each group's money (one per group) through the floor, then the upgrade stage, on its
    `members`: yuan by section and item."""
    yuan = np.zeros_like(stages.floor)
    money = np.asarray(money, dtype=float).copy()
    for stage in stages:
        need = np.where(members[:, None], stage, 0.0)
        total = need.sum(axis=1)
        grant = fill(money, weights(rule, total, pupils, weak, tilt) * members, total, group)
        with np.errstate(invalid="ignore", divide="ignore"):
            yuan += np.where(total[:, None] > 0, grant[:, None] * need / total[:, None], 0.0)
        money -= np.bincount(group, weights=grant, minlength=len(money))
    return yuan


def share(pools: np.ndarray, s: Schools, pupils: np.ndarray, stages: Gaps, rule: str, tilt: float) -> Shared:
    """Each county's group pools (counties × (non-rural, rural)) spent on the group's own
    sections; the rest carried over in the group."""
    counties = len(pools)
    group = s.county.astype(np.int64) * 2 + s.rural  # row-major in pools: county × 2 + group
    receives = s.open & (pupils > 0)
    can_receive = (np.bincount(group[receives], minlength=2 * counties) > 0).reshape(counties, 2)
    money = np.where(can_receive, pools, 0.0).reshape(-1)
    yuan = spend_groups(money, receives, group, stages, pupils, s.weak, rule, tilt)
    used = np.bincount(group, weights=yuan.sum(axis=1), minlength=2 * counties).reshape(counties, 2)
    carried = np.where(can_receive, np.maximum(pools - used, 0.0), 0.0)
    unspent = np.where(can_receive, 0.0, pools).sum(axis=1)
    return Shared(yuan, used, carried, unspent)
