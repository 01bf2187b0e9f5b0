"""Rural-to-urban drift ("reverse flow", seed 002) and the county teacher pool (县管校聘, seed 004).

Drift: each rural teacher not on exchange seeks a town or urban post with probability
drift_rate × the allowance factor (as attrition) × drift_backbone_factor for backbone teachers;
only as many move as town and urban sections of the same level have vacant posts (norm − posts),
the best-quality sections filled first. Pool (optional): teachers above a section's norm move to
sections of the same level below it, rural and weak sections first.

The year is one compiled call (balance_sim/jit.py) of passes over the teacher arrays; the draws
are made between the passes (draws.py), in the order and of the sizes the mechanism has always
drawn them, and the pairing of movers with free posts is `matching.match_sections` (movers by
group and draw, posts by group, key and section, as a stable sort would order them).
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.jit import kernel
from balance_sim.sim.draws import fill, fill32, pointers
from balance_sim.sim.matching import match_sections, per_school
from balance_sim.sim.state import State


def posts(state: State) -> np.ndarray:
    """Posts held at each section by serving teachers."""
    t, n_schools = state.teachers, state.schools.n
    return per_school(t.post[: t.n], t.active[: t.n], n_schools)


@kernel
def _drift_candidates(active, exchange_left, school, post, rural, n, candidates, held):
    """One pass over the teachers: the serving rural teachers not on exchange (slot order, into
    `candidates`; one draw each) and the posts held at each section (into `held`). Returns the
    number of candidates."""
    held[:] = 0
    k = 0
    for i in range(n):  # branch-free: whether a teacher counts is data, not a jump
        serving = active[i]
        held[post[i]] += serving
        candidates[k] = i
        k += serving & (exchange_left[i] == 0) & rural[school[i]]
    return k


@kernel
def _drift_seekers(candidates, draw, backbone, school, level, rate, backbone_rate, held, open_, rural, norm,
                   quality, seekers, seeker_level, vacancy, key):
    """The candidates whose draw falls below their chance (rate, × backbone_rate for backbone
    teachers) and their level (into `seekers`, `seeker_level`; returns how many); the vacant posts
    of open town and urban sections (`vacancy`) and the sections' order key (`key`: best quality
    first, sections without a quality last)."""
    k = 0
    for j in range(len(draw)):
        i = candidates[j]
        chance = rate * (backbone_rate if backbone[i] > 0 else 1.0)
        if draw[j] < chance:
            seekers[k] = i
            seeker_level[k] = level[school[i]]
            k += 1
    for s in range(len(norm)):
        vacancy[s] = norm[s] - held[s] if open_[s] and not rural[s] else 0
        key[s] = np.inf if np.isnan(quality[s]) else -quality[s]
    return k


@kernel
def _move(movers, chosen, target, school, post, years_at_school, held):
    """Move `movers[chosen]` to `target`, their post with them (`held` follows); returns the
    ledger's rows (teacher, school left, school joined)."""
    rows = np.empty((3, len(chosen)), np.int64)
    for j in range(len(chosen)):
        i = movers[chosen[j]]
        rows[0, j], rows[1, j], rows[2, j] = i, school[i], target[j]
        held[post[i]] -= 1
        held[target[j]] += 1
        school[i] = target[j]
        post[i] = target[j]
        years_at_school[i] = 0
    return rows


@kernel
def _drift_moves_then_pool(seekers, seeker_level, draw, section_level, key, active, exchange_left, school, post,
                           years_at_school, n, held, norm, open_, pool, surplus, vacancy, serving):
    """The drift's matching (seekers by level and draw to the vacancies by key) and moves (as
    `_move`), then, if the pool runs, the posts above (`surplus`) and below (`vacancy`) each
    section's norm and the teachers at home in a section with a surplus (slot order, into
    `serving`), who can be moved. Returns (the ledger's rows, whether the pool has both a surplus
    and a vacancy somewhere, number of such teachers); without both, nothing is drawn for the
    pool."""
    chosen, target = match_sections(seeker_level, draw, section_level, key, vacancy, 2)
    rows = _move(seekers, chosen, target, school, post, years_at_school, held)
    if not pool:
        return rows, False, 0
    any_surplus = False
    any_vacancy = False
    for s in range(len(norm)):
        surplus[s] = max(held[s] - norm[s], 0)
        vacancy[s] = norm[s] - held[s] if open_[s] else 0
        any_surplus = any_surplus or surplus[s] > 0
        any_vacancy = any_vacancy or vacancy[s] > 0
    if not (any_surplus and any_vacancy):
        return rows, False, 0
    k = 0
    for i in range(n):  # branch-free, as in _drift_candidates
        serving[k] = i
        k += active[i] & (exchange_left[i] == 0) & (school[i] == post[i]) & (surplus[post[i]] > 0)
    return rows, True, k


@kernel
def _pool_moves(spare, spare_level, draw, section_level, priority, vacancy, school, post, years_at_school, held):
    """The pool's matching (spare teachers by level and draw to the vacancies by priority) and
    moves (as `_move`); returns the ledger's rows."""
    chosen, target = match_sections(spare_level, draw, section_level, priority, vacancy, 2)
    return _move(spare, chosen, target, school, post, years_at_school, held)


@kernel
def _pool_spare(serving, draw, post, surplus, level, first, spare, spare_level):
    """The surplus teachers of each section: the `surplus` of its serving teachers with the
    smallest draws (ties: slot order), listed in slot order into `spare`, with their level into
    `spare_level`; returns how many. The teachers are bucketed by section and only the sections
    with more teachers than surplus are sorted. `first` is work space, one per section + 1."""
    n_sections = len(surplus)
    first[:] = 0
    for j in range(len(serving)):
        first[post[serving[j]] + 1] += 1
    for s in range(n_sections):
        first[s + 1] += first[s]
    by_section = np.empty(len(serving), np.int64)
    fill = first[:n_sections].copy()
    for j in range(len(serving)):
        s = post[serving[j]]
        by_section[fill[s]] = j
        fill[s] += 1
    taken = np.zeros(len(serving), np.bool_)
    for s in range(n_sections):
        lo, hi = first[s], first[s + 1]
        if hi - lo <= surplus[s]:
            taken[by_section[lo:hi]] = True
            continue
        if hi - lo <= 24:  # insertion sort by draw, stable
            for p in range(lo + 1, hi):
                j = by_section[p]
                q = p
                while q > lo and draw[by_section[q - 1]] > draw[j]:
                    by_section[q] = by_section[q - 1]
                    q -= 1
                by_section[q] = j
            taken[by_section[lo:lo + surplus[s]]] = True
        else:
            members = by_section[lo:hi]
            taken[members[np.argsort(draw[members], kind="mergesort")[:surplus[s]]]] = True
    k = 0
    for j in range(len(draw)):
        if taken[j]:
            spare[k] = serving[j]
            spare_level[k] = level[post[serving[j]]]
            k += 1
    return k


def _scratch(state: State, policy) -> dict:
    """The policy's numbers for this run, read on the first year, and work arrays reused every
    year (one per teacher slot or per section; made again if hiring grows the teacher arrays)."""
    scratch = state.scratch.get("mobility")
    slots_needed = state.teachers.capacity
    if scratch is None or len(scratch["slot"]) < slots_needed:
        tp, n_sections = policy.teachers, state.schools.n
        scratch = state.scratch["mobility"] = dict(
            drift=float(tp.drift_rate * state.constants.allowance_factor),
            backbone_factor=float(tp.drift_backbone_factor),
            pool=bool(tp.pool_rebalancing),
            slot=np.empty(slots_needed, np.int64),
            movers=np.empty(slots_needed, np.int64),
            mover_level=np.empty(slots_needed, state.schools.level.dtype),
            draw32=np.empty(slots_needed, np.float32),
            draw=np.empty(slots_needed, np.float64),
            **{name: np.empty(n_sections, np.int64) for name in ("held", "vacancy", "surplus")},
            first=np.empty(n_sections + 1, np.int64),
            key=np.empty(n_sections, np.float64),
        )
    return scratch


@kernel
def _year_pass(bits, active, exchange_left, school, post, years_at_school, backbone, n, rural, level, is_open, quality,
               norm, priority, drift, backbone_factor, pool, slot, draw32, draw, movers, mover_level, held, vacancy, key,
               surplus, first):
    """The year's drift and pool in one call, drawing (draws.py) where the passes always drew:
    a float32 draw per drift candidate, a float64 draw per seeker to order the matching, then, if
    the pool runs, one per movable teacher to choose the surplus and one per chosen teacher to
    order its matching. Returns the drift's and the pool's rows (as `_move`); the pool's are
    empty when it has nothing to move."""
    k = _drift_candidates(active, exchange_left, school, post, rural, n, slot, held)
    fill32(bits, draw32[:k])
    k = _drift_seekers(slot, draw32[:k], backbone, school, level, drift, backbone_factor, held, is_open, rural, norm,
                       quality, movers, mover_level, vacancy, key)
    fill(bits, draw[:k])
    drifted, found, k = _drift_moves_then_pool(
        movers, mover_level[:k], draw[:k], level, key, active, exchange_left, school, post, years_at_school, n, held,
        norm, is_open, pool, surplus, vacancy, slot)
    if not found:
        return drifted, drifted[:, :0]
    fill(bits, draw[:k])
    k = _pool_spare(slot[:k], draw[:k], post, surplus, level, first, movers, mover_level)
    fill(bits, draw[:k])  # the draws above are used up
    return drifted, _pool_moves(movers, mover_level[:k], draw[:k], level, priority, vacancy, school, post,
                                years_at_school, held)


def step(state: State, policy, rng: np.random.Generator):
    t, s, w = state.teachers, state.schools, _scratch(state, policy)
    drifted, pooled = _year_pass(
        pointers(state, rng), t.active, t.exchange_left, t.school, t.post, t.years_at_school, t.backbone, t.n, s.rural,
        s.level, s.open, s.quality, state.norm, s.priority, w["drift"], w["backbone_factor"], w["pool"], w["slot"],
        w["draw32"], w["draw"], w["movers"], w["mover_level"], w["held"], w["vacancy"], w["key"], w["surplus"],
        w["first"])
    return state, [L.Moves(L.DRIFT, drifted), L.Moves(L.POOL, pooled)]
