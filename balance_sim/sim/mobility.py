"""Rural-to-urban drift ("reverse flow", seed 002) and the county teacher pool (县管校聘, seed 004).

Drift: each rural teacher not on exchange seeks a town or urban post with probability
drift_rate × the allowance factor (as attrition) × drift_backbone_factor for backbone teachers;
only as many move as town and urban sections of the same level have vacant posts (norm − posts),
the best-quality sections filled first. Pool (optional): teachers above a section's norm move to
sections of the same level below it, rural and weak sections first.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.matching import match, per_school, rank_in_group, slots
from balance_sim.sim.state import State


def posts(state: State) -> np.ndarray:
    """Posts held at each section by serving teachers."""
    t, n_schools = state.teachers, state.schools.n
    return per_school(t.post[: t.n], t.active[: t.n], n_schools)


def _move(state: State, who: np.ndarray, target: np.ndarray, kind: int) -> L.Moves:
    t = state.teachers
    source = t.school[who].copy()
    t.school[who] = target
    t.post[who] = target
    t.years_at_school[who] = 0
    return L.moves(kind, who, source, target)


def drift(state: State, policy, rng: np.random.Generator, norm: np.ndarray):
    t, s, tp = state.teachers, state.schools, policy.teachers
    n = t.n
    # Candidates: serving rural teachers not on exchange; one draw each.
    candidates = np.flatnonzero(t.active[:n] & (t.exchange_left[:n] == 0) & s.rural[t.school[:n]])
    p = tp.drift_rate * state.constants.allowance_factor * np.where(t.backbone[candidates] > 0, tp.drift_backbone_factor, 1.0)
    want = candidates[rng.random(len(candidates), dtype=np.float32) < p]
    vacancy = np.where(s.open & ~s.rural, norm - posts(state), 0)
    free = slots(np.arange(s.n), vacancy)
    quality = np.where(np.isnan(s.quality), -np.inf, s.quality)
    who, where = match(s.level[t.school[want]], rng.random(len(want)), s.level[free], -quality[free], 2)
    return _move(state, want[who], free[where], L.DRIFT)


def pool(state: State, policy, rng: np.random.Generator, norm: np.ndarray):
    t, s = state.teachers, state.schools
    if not policy.teachers.pool_rebalancing:
        return L.moves(L.POOL, [], [], [])
    held = posts(state)
    surplus = np.maximum(held - norm, 0)
    vacancy = np.where(s.open, norm - held, 0)
    if not surplus.any() or not (vacancy > 0).any():
        return L.moves(L.POOL, [], [], [])
    n = t.n
    # Only teachers at home in a section with a surplus can be moved by the pool.
    serving = np.flatnonzero(t.active[:n] & (t.exchange_left[:n] == 0) & (t.school[:n] == t.post[:n]) & (surplus[t.post[:n]] > 0))
    home = t.post[serving]
    # The surplus teachers of a section: a random `surplus` of those holding its posts.
    rank = rank_in_group(home, rng.random(len(serving)), s.n)
    spare = serving[rank < surplus[home]]
    free = slots(np.arange(s.n), vacancy)
    who, where = match(s.level[t.post[spare]], rng.random(len(spare)), s.level[free], s.priority[free], 2)
    return _move(state, spare[who], free[where], L.POOL)


def step(state: State, policy, rng: np.random.Generator):
    norm = state.norm
    rows = [drift(state, policy, rng, norm)]
    rows.append(pool(state, policy, rng, norm))
    return state, rows
