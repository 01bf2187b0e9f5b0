"""Exchange and rotation of teachers (facts.md §3 and §8; seed 003; policy-brief lever 2).

First, teachers whose term ends stay at the receiving school with `exchange_stay_probability`
(their post moves there) or return home. Then, within each level, sections are ranked by
strength = quality + `exchange_urban_bonus` for town and urban sections; those at or above the
enrolment-weighted mean send, the others receive. `exchange_rate` × the level's eligible teachers
(≥ `exchange_min_years` at their school) are sent from the senders' eligible teachers, at least
`backbone_share_min` of them backbone teachers when enough exist, for `exchange_term_years`;
receivers (each up to `exchange_receive_share` of its staffing norm) take them where backbone
teachers per pupil are scarcest (water-filling), backbone teachers placed first.
The post stays with the home school while away.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.matching import match, per_school, slots
from balance_sim.sim.state import TEACHER_COUNTS, State

BACKBONE_COLUMN = TEACHER_COUNTS.index("backbone_teachers")


def _term_ends(state: State, policy, rng: np.random.Generator):
    t, s = state.teachers, state.schools
    away = np.flatnonzero(t.active[: t.n] & (t.exchange_left[: t.n] > 0))
    t.exchange_left[away] -= 1
    done = away[t.exchange_left[away] == 0]
    home = t.post[done]
    stay = (rng.random(len(done)) < policy.teachers.exchange_stay_probability) | ~s.open[home]
    stayers, returners = done[stay], done[~stay]
    old_post = t.post[stayers].copy()
    t.post[stayers] = t.school[stayers]
    source = t.school[returners].copy()
    t.school[returners] = t.post[returners]
    t.years_at_school[returners] = 0
    return [
        L.moves(L.EXCHANGE_STAY, stayers, old_post, t.school[stayers]),
        L.moves(L.EXCHANGE_RETURN, returners, source, t.school[returners]),
    ]


def strength(state: State, policy) -> tuple[np.ndarray, np.ndarray]:
    """(strength of each section, True for senders)."""
    s = state.schools
    q = np.where(np.isnan(s.quality), 0.0, s.quality) + policy.teachers.exchange_urban_bonus * ~s.rural
    w = np.where(s.open, state.pupils, 0.0)
    mean = np.bincount(s.level, weights=w * q, minlength=2) / np.maximum(np.bincount(s.level, weights=w, minlength=2), 1e-12)
    return q, s.open & (q >= mean[s.level])


def _select(level: np.ndarray, backbone: np.ndarray, u: np.ndarray, quota: np.ndarray, share: float):
    """Who goes, within each level: backbone teachers first up to `share` of the level's quota
    (ceil), then anyone, both in random order (the smallest draws `u`). Returns (positions
    chosen, True where chosen as backbone first). The k smallest draws of a group are found by
    `argpartition` (linear time), not by sorting the whole pool; the order of the positions does
    not matter (matching sorts the movers)."""
    backbone_quota = np.ceil(share * quota - 1e-9).astype(np.int64)
    chosen, first = [], []
    for lv in range(len(quota)):  # the two levels
        here = np.flatnonzero(level == lv)
        backbone_first = _smallest(here[backbone[here]], u, backbone_quota[lv])
        taken = np.zeros(len(u), dtype=bool)
        taken[backbone_first] = True
        rest = _smallest(here[~taken[here]], u, quota[lv] - len(backbone_first))
        chosen += [backbone_first, rest]
        first += [np.ones(len(backbone_first), bool), np.zeros(len(rest), bool)]
    return np.concatenate(chosen), np.concatenate(first)


def _smallest(positions: np.ndarray, u: np.ndarray, k: int) -> np.ndarray:
    """The `k` positions with the smallest draws (all of them when there are no more than k)."""
    if k >= len(positions):
        return positions
    if k <= 0:
        return positions[:0]
    return positions[np.argpartition(u[positions], k - 1)[:k]]


def _send(state: State, policy, rng: np.random.Generator):
    t, s, tp = state.teachers, state.schools, policy.teachers
    n = t.n
    school = t.school[:n]
    present = t.active[:n] & (t.exchange_left[:n] == 0)
    eligible = present & (t.years_at_school[:n] >= tp.exchange_min_years) & s.open[school]
    # "At least 10%" (facts.md §8): the quota rounds up.
    quota = np.ceil(tp.exchange_rate * (s.level_matrix @ per_school(school, eligible, s.n)) - 1e-9).astype(np.int64)
    score, sender = strength(state, policy)
    pool = np.flatnonzero(eligible & sender[school])
    level = s.level[school[pool]]
    u = rng.random(len(pool))
    picked, is_first = _select(level, t.backbone[pool] > 0, u, quota, tp.backbone_share_min)
    movers, mover_level = pool[picked], level[picked]
    hosted = per_school(school, t.active[:n] & ~present, s.n)
    room = np.ceil(tp.exchange_receive_share * state.norm - 1e-9).astype(np.int64) - hosted
    capacity = np.maximum(np.where(s.open & ~sender, room, 0), 0)
    free = slots(np.arange(s.n), capacity)
    # Water-filling: a receiver's j-th place ranks at its backbone teachers per pupil once j more
    # have arrived, so backbone teachers (placed first) go where they are scarcest per pupil and
    # spread over the receivers instead of piling into one; weaker first on ties.
    offset = np.cumsum(capacity) - capacity
    j = np.arange(len(free)) - offset[free]
    place = (s.counts[free, BACKBONE_COLUMN] + j + 0.5) / np.maximum(state.pupils[free], 1.0) + 1e-9 * score[free]
    # Backbone teachers picked first keep precedence: key in [0, ½) for them, [½, 1) for the rest.
    who, where = match(mover_level, 0.5 * (~is_first + u[picked]), s.level[free], place, 2)
    movers, target = movers[who], free[where]
    source = school[movers]
    t.school[movers] = target
    t.exchange_left[movers] = tp.exchange_term_years
    t.years_at_school[movers] = 0
    state.exchange_counts = (int(eligible.sum()), len(movers), int(np.count_nonzero(t.backbone[movers])))
    return L.moves(L.EXCHANGE_OUT, movers, source, target)


def step(state: State, policy, rng: np.random.Generator):
    rows = _term_ends(state, policy, rng)
    rows.append(_send(state, policy, rng))
    return state, rows
