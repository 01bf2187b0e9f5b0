"""Hiring to the staffing norms (facts.md §8: 1:19 primary, 1:13.5 junior; small schools by
classes), new posts to rural and weak sections first (policy-brief lever 2), at most
`max_hires_share` of the teaching force a year (the county's quota, an assumption).

One compiled call (balance_sim/jit.py): the sections the year's hires go to, then the hires'
draws (draws.py) and the hires written into the teacher arrays; when the arrays must grow first,
the second part is a call of its own after they have.
"""
from __future__ import annotations

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.jit import kernel
from balance_sim.sim.draws import fill, pointers
from balance_sim.sim.state import State


@kernel
def _places(active, post, n, norm, open_, priority, max_share):
    """The sections the year's hires go to, one entry per hire: the vacant posts (norm − posts of
    open sections) by priority class, within a class the sections furthest below their norm
    (vacancy / norm) first, ties in section order; at most `max_share` × serving teachers."""
    n_sections = len(norm)
    held = np.zeros(n_sections, np.int64)
    serving = 0
    for i in range(n):  # branch-free: whether a teacher counts is added, not jumped on
        held[post[i]] += active[i]
        serving += active[i]
    quota = int(max_share * serving)
    short = np.empty(n_sections, np.int64)  # sections with vacant posts, in section order
    vacancy = np.zeros(n_sections, np.int64)
    m = 0
    for s in range(n_sections):
        if open_[s] and norm[s] > held[s]:
            vacancy[s] = norm[s] - held[s]
            short[m] = s
            m += 1
    short = short[:m]
    shortage = np.empty(m, np.float64)
    for j in range(m):
        s = short[j]
        shortage[j] = -(vacancy[s] / max(norm[s], 1))
    # Two stable sorts: by shortage, then by priority class (as a two-key lexsort).
    order = np.argsort(shortage, kind="mergesort")
    order = order[np.argsort(priority[short[order]], kind="mergesort")]
    total = 0
    for s in short:
        total += vacancy[s]
    where = np.empty(min(quota, total) if quota > 0 else 0, np.int64)
    k = 0
    for j in order:
        s = short[j]
        for _ in range(vacancy[s]):
            if k == len(where):
                return where
            where[k] = s
            k += 1
    return where


@kernel
def _write_hires(where, first, draws, active, school, post, age, female, degree, title, backbone, pe_art,
                 years_at_school, rural_years, exchange_left, training_cycle,
                 hire_age, female_share, associate, associate_or_bachelor, pe_art_share, cycle_years):
    """Hires in slots first, first + 1, …: sex, degree and PE/arts subject from the three rows of
    `draws`; no title, no backbone level, the training cycle due (hires start it uncompleted)."""
    for j in range(len(where)):
        i = first + j
        active[i] = True
        school[i] = where[j]
        post[i] = where[j]
        age[i] = hire_age
        female[i] = draws[0, j] < female_share
        degree[i] = 1 + (draws[1, j] >= associate) + (draws[1, j] >= associate_or_bachelor)
        title[i] = 0
        backbone[i] = 0
        pe_art[i] = draws[2, j] < pe_art_share
        years_at_school[i] = 0
        rural_years[i] = 0
        exchange_left[i] = 0
        training_cycle[i] = cycle_years


@kernel
def _hire(bits, where, first, active, school, post, age, female, degree, title, backbone, pe_art, years_at_school,
          rural_years, exchange_left, training_cycle, hire_age, female_share, associate, associate_or_bachelor,
          pe_art_share, cycle_years):
    """The hires' draws (3 rows of float64, one column per hire; draws.py), `_write_hires`, and the
    ledger's rows (slot hired, school left: −1, school joined)."""
    draws = np.empty((3, len(where)))
    fill(bits, draws)
    _write_hires(where, first, draws, active, school, post, age, female, degree, title, backbone, pe_art,
                 years_at_school, rural_years, exchange_left, training_cycle, hire_age, female_share, associate,
                 associate_or_bachelor, pe_art_share, cycle_years)
    rows = np.empty((3, len(where)), np.int64)
    for j in range(len(where)):
        rows[0, j], rows[1, j], rows[2, j] = first + j, -1, where[j]
    return rows


@kernel
def _year_pass(bits, n, norm, open_, priority, max_share, active, school, post, age, female, degree, title, backbone,
               pe_art, years_at_school, rural_years, exchange_left, training_cycle, hire_age, female_share, associate,
               associate_or_bachelor, pe_art_share, cycle_years):
    """The year in one call when the teacher arrays have room: `_places`, then `_hire` into the
    slots from `n` on. Returns (sections of the hires, the ledger's rows); the rows are empty
    while there are hires when the arrays must grow first (then `_hire` is called after)."""
    where = _places(active, post, n, norm, open_, priority, max_share)
    if n + len(where) > len(active):
        return where, np.empty((3, 0), np.int64)
    return where, _hire(bits, where, n, active, school, post, age, female, degree, title, backbone, pe_art,
                        years_at_school, rural_years, exchange_left, training_cycle, hire_age, female_share,
                        associate, associate_or_bachelor, pe_art_share, cycle_years)


def _constants(state: State, policy) -> dict:
    """The policy's numbers for this run, read on the first year."""
    scratch = state.scratch.get("hiring")
    if scratch is None:
        tp = policy.teachers
        d = tp.new_teacher_degree
        scratch = state.scratch["hiring"] = dict(
            max_share=float(tp.max_hires_share),
            hire=(int(tp.new_teacher_age), float(tp.new_teacher_female_share), float(d.associate),
                  float(d.associate + d.bachelor), float(tp.new_teacher_pe_art_share), int(tp.training_cycle_years)),
        )
    return scratch


def step(state: State, policy, rng: np.random.Generator):
    t, s = state.teachers, state.schools
    c = _constants(state, policy)
    teacher_arrays = (t.active, t.school, t.post, t.age, t.female, t.degree, t.title, t.backbone, t.pe_art,
                      t.years_at_school, t.rural_years, t.exchange_left, t.training_cycle)
    where, rows = _year_pass(pointers(state, rng), t.n, state.norm, s.open, s.priority, c["max_share"],
                             *teacher_arrays, *c["hire"])
    k = len(where)
    if k and not rows.shape[1]:  # rare: capacity is sized for ten years of hires
        t.grow(k)  # new arrays: read them again below
        rows = _hire(pointers(state, rng), where, t.n, t.active, t.school, t.post, t.age, t.female, t.degree,
                     t.title, t.backbone, t.pe_art, t.years_at_school, t.rural_years, t.exchange_left,
                     t.training_cycle, *c["hire"])
    t.n += k
    return state, [L.Moves(L.HIRE, rows)]
