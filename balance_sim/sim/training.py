"""Training and titles (policy-brief lever 2; facts.md §3a training, §6 and §8 titles).

Training reaches `training_rate` of teachers a year (rural teachers `rural_training_priority`
times as likely); a trained teacher may gain the next degree, and one with a mid or senior title
may become a county backbone teacher. Titles rise one step with a probability per step; with the
rural-service rule on, a teacher in a town or urban school needs `rural_service_years_required`
years of rural service before the senior title (seed 003; national rules since 2015).

The five-year 360-hour training cycle (facts.md §3a, target 100%): a teacher has completed the
current cycle for `training_cycle_years` years after completing its hours; then the next cycle
is due, and a teacher who is due completes it with `training_completion_rate` a year. Hires start
due. The steady-state share completed is L ÷ (L + (1 − p) ÷ p), L the cycle length.

A year is one compiled call of two passes around the draws for the trained (draws.py): one over
every teacher (cycle, training, title), one over the trained (degree, backbone).
"""
from __future__ import annotations

import numpy as np

from balance_sim.jit import kernel
from balance_sim.sim.draws import fill32, pointers
from balance_sim.sim.state import MID_SENIOR_MIN, State

SENIOR = 3
TOP_DEGREE, TOP_TITLE = 3, 4


def compared_threshold(probability, draws_dtype=np.float32) -> float:
    """The probability as numpy compares it with draws of `draws_dtype`: a Python number takes the
    draws' precision (NEP 50), a numpy float64 keeps its own. Returned as a float64 that a float32
    draw compares with exactly as numpy would (float32 → float64 is exact and keeps the order)."""
    dtype = np.result_type(draws_dtype, probability)
    return float(np.asarray(probability, dtype=dtype))


@kernel
def _cycle_training_titles(active, school, cycle, title, rural_years, school_rural, training_probability,
                           promotion, u, cycle_length, completion_threshold, rural_rule, years_required, trained):
    """First pass, over the used slots; for each serving teacher, with the draws u[:, i]:
    the training cycle — years since completion +1 (capped at the cycle length: due), a due teacher
    completes with the completion rate (back to 0), draw u[2]; training with the probability of the
    school's location (town or urban, rural), draw u[0]; promotion one title up with the
    probability of the current title, draw u[1] — under the rural-service rule a town or urban
    teacher needs `years_required` years of rural service before the senior title.
    Writes into `trained` (2 × at least the used slots) the trained slots in order and whether each
    held a mid or senior title before this year's promotion (what the backbone rule reads), and
    returns how many were trained."""
    n = len(cycle)
    k = 0
    for i in range(n):
        if not active[i]:
            continue
        if cycle[i] < cycle_length:
            cycle[i] += 1
        if cycle[i] >= cycle_length and u[2, i] < completion_threshold:
            cycle[i] = 0
        rural = school_rural[school[i]]
        held = title[i]
        if u[0, i] < training_probability[1 if rural else 0]:  # float32 draw against a float64 probability
            trained[0, k] = i
            trained[1, k] = held >= MID_SENIOR_MIN
            k += 1
        if held < TOP_TITLE and u[1, i] < promotion[held]:
            if not (rural_rule and held + 1 == SENIOR and not (rural or rural_years[i] >= years_required)):
                title[i] = held + 1
    return k


@kernel
def _degrees_and_backbone(trained, n_trained, v, degree, backbone, degree_threshold, backbone_threshold):
    """Second pass, over the first `n_trained` columns of `trained` (draws v[:, k]): the next degree
    (below the top one), and the county backbone for a teacher not yet backbone who held a mid or
    senior title."""
    for k in range(n_trained):
        i = trained[0, k]
        if degree[i] < TOP_DEGREE and v[0, k] < degree_threshold:
            degree[i] += 1
        if backbone[i] == 0 and trained[1, k] and v[1, k] < backbone_threshold:
            backbone[i] = 1


def _per_run(state: State, tp) -> dict:
    """The policy's numbers as the kernels take them (a run's policy does not change)."""
    return {
        "rural": state.schools.rural,
        "training_probability": state.constants.training_probability,
        "promotion": state.constants.promotion,
        "cycle_length": int(tp.training_cycle_years),
        "completion": compared_threshold(tp.training_completion_rate),
        "degree": compared_threshold(tp.degree_upgrade_probability),
        "backbone": compared_threshold(tp.backbone_probability),
        "rural_rule": bool(tp.rural_service_before_senior),
        "years_required": int(tp.rural_service_years_required),
    }


@kernel
def _year_pass(bits, n, active, school, cycle, title, rural_years, degree, backbone, school_rural, training_probability,
               promotion, cycle_length, completion_threshold, rural_rule, years_required, degree_threshold,
               backbone_threshold):
    """The year in one call: one block of float32 draws per used slot (training, promotion,
    cycle; draws.py), the first pass, then the degree and backbone draws for the trained only
    and the second pass."""
    u = np.empty((3, n), np.float32)  # single precision: half the cost, ample for probabilities
    fill32(bits, u)
    trained = np.empty((2, n), np.int64)
    k = _cycle_training_titles(active[:n], school[:n], cycle[:n], title[:n], rural_years[:n], school_rural,
                               training_probability, promotion, u, cycle_length, completion_threshold, rural_rule,
                               years_required, trained)
    v = np.empty((2, k), np.float32)
    fill32(bits, v)
    _degrees_and_backbone(trained, k, v, degree[:n], backbone[:n], degree_threshold, backbone_threshold)


def step(state: State, policy, rng: np.random.Generator):
    t = state.teachers
    c = state.scratch.get("training")
    if c is None:
        c = state.scratch["training"] = _per_run(state, policy.teachers)
    _year_pass(pointers(state, rng), t.n, t.active, t.school, t.training_cycle, t.title, t.rural_years, t.degree,
               t.backbone, c["rural"], c["training_probability"], c["promotion"], c["cycle_length"], c["completion"],
               c["rural_rule"], c["years_required"], c["degree"], c["backbone"])
    return state, []


def steady_completion(tp) -> float:
    """Share of teachers who have completed the current cycle in the steady state (no hires)."""
    p, length = tp.training_completion_rate, tp.training_cycle_years
    return 1.0 if p >= 1.0 else length * p / (length * p + 1.0 - p)


@kernel
def _ranked_within_school(school, keys, completed, n_schools):
    """Whether each teacher ranks below `completed[school]` among its school's teachers by key
    (smallest first; equal keys by slot, as numpy's lexsort orders them)."""
    n = len(school)
    first = np.zeros(n_schools + 1, np.int64)  # slots grouped by school, in slot order
    for i in range(n):
        first[school[i] + 1] += 1
    for j in range(n_schools):
        first[j + 1] += first[j]
    filled = first[:n_schools].copy()
    members = np.empty(n, np.int64)
    for i in range(n):
        members[filled[school[i]]] = i
        filled[school[i]] += 1
    done = np.empty(n, np.bool_)
    for j in range(n_schools):
        group = members[first[j]:first[j + 1]]
        if completed[j] > len(group) - 1 or not completed[j] > 0:  # all or none: no order needed
            done[group] = completed[j] > 0
            continue
        order = np.argsort(keys[group], kind="mergesort")  # stable: equal keys stay in slot order
        for rank in range(len(order)):
            done[group[order[rank]]] = rank < completed[j]
    return done


@kernel
def _start_cycle(cycle, done, year_draws, length):
    """Completed teachers at a random year of the cycle, floor(u × length); the others due."""
    for i in range(len(cycle)):
        cycle[i] = np.int8(np.floor(year_draws[i] * length)) if done[i] else length


def start_cycle(t, completed: np.ndarray | None, n_schools: int, tp, rng: np.random.Generator) -> None:
    """Base-year cycle state: in each section, `completed[i]` random teachers have completed the
    current cycle (at a random year of it), the others are due. Without the counts, each teacher
    has completed with the steady-state share of the policy's rate."""
    n, length = t.n, int(tp.training_cycle_years)
    u = rng.random((2, n))
    if completed is None:
        done = u[0] < steady_completion(tp)
    else:
        done = _ranked_within_school(t.school[:n], u[0], np.asarray(completed, dtype=np.float64), int(n_schools))
    _start_cycle(t.training_cycle[:n], done, u[1], length)
