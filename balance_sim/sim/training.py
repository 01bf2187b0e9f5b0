"""Training, the five-year 360-hour cycle and titles (docs/sources.md#lever-teachers; docs/sources.md#quality-2017-checklist training,
§6 and §8 titles).

The cycle (docs/sources.md#quality-2017-checklist: 360 hours every five years, target 100% completion). `training_cycle`
counts the years since a teacher last completed the hours; the teacher has completed the current
cycle while it is below L = `training_cycle_years`, and is due at L. Each year, for a serving
teacher with draw w_i:

    c_i ← min(c_i + 1, L);   if c_i = L and w_i < p:  c_i ← 0      p = training_completion_rate.at(year)

so a due teacher completes with probability p a year. Hires start due (c = L, hiring.py) and go
through the same rule in their first year: the induction training counts as the cycle's hours,
completed with probability p. Hence at p = 1 every teacher, new or not, has completed at the end
of every year (the checklist's `training_completion` 100%, from the first simulated year). For
p < 1 and no hires the steady-state share completed is

    c* = L ÷ (L + (1 − p) ÷ p)     (L = 5: p = 0.82 gives 95.8%);

hires, who start due, lower it a little (with 5% of teachers replaced each year by hires,
p = 0.82 gives 95.4%; 10%, 94.9%).

Training (for degrees and backbone status). A serving teacher is trained with probability
min(1, training_rate.at(year) × r), r = `rural_training_priority` at a rural school, else 1
(draw u_i); a trained teacher below the top degree gains the next one with
`degree_upgrade_probability` (draw x_i); a trained teacher who is not a backbone teacher and held a
mid or senior title before this year's promotion becomes a county backbone teacher with
`backbone_probability` (draw y_i).

Titles. A serving teacher rises one title with the probability of the current title (draw z_i);
under the rural-service rule (`rural_service_before_senior`, docs/sources.md#jilin-2011 and the national title
rules since 2015) a teacher at a town or urban school needs `rural_service_years_required` years
of rural service before the senior title.

Draws: one row of five per used slot, serving or not, (u, z, w, x, y) = rng.random((n, 5)).T, so a
teacher's draws do not depend on how many slots follow (hires are appended).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim.mobility import rank_within
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import MID_SENIOR_MIN, State

SENIOR = 3
TOP_DEGREE, TOP_TITLE = 3, 4


@dataclass(frozen=True)
class Context:
    """The policy's training, cycle and title values in force in one year."""

    training_probability: np.ndarray  # (town or urban, rural) chance of training this year
    completion_rate: float  # p: a due teacher completes the cycle this year
    cycle_years: int  # L
    degree_probability: float
    backbone_probability: float
    promotion: np.ndarray  # chance of the next title by current title (none … professor)
    rural_rule: bool
    rural_years_required: int

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        t = policy.teachers
        p = t.promotion_probability
        rate = t.training_rate.at(year)
        return cls(
            training_probability=np.minimum(rate * np.array([1.0, t.rural_training_priority]), 1.0),
            completion_rate=t.training_completion_rate.at(year),
            cycle_years=t.training_cycle_years,
            degree_probability=t.degree_upgrade_probability,
            backbone_probability=t.backbone_probability,
            promotion=np.array([p.junior, p.intermediate, p.senior, p.professor, 0.0]),
            rural_rule=t.rural_service_before_senior,
            rural_years_required=t.rural_service_years_required,
        )


def steady_completion(completion_rate: float, cycle_years: int) -> float:
    """c* = L ÷ (L + (1 − p) ÷ p): the share completed in the steady state without hires."""
    p, length = completion_rate, cycle_years
    return 1.0 if p >= 1.0 else length * p / (length * p + 1.0 - p)


def advance_cycle(cycle: np.ndarray, active: np.ndarray, w: np.ndarray, context: Context) -> None:
    """A year of the cycle for the serving teachers (in place; see the module's docstring)."""
    length = context.cycle_years
    cycle += active & (cycle < length)
    cycle[active & (cycle >= length) & (w < context.completion_rate)] = 0


def promote(state: State, context: Context, rural: np.ndarray, z: np.ndarray) -> None:
    """One title up for the serving teachers whose draw falls below their title's probability."""
    t, n = state.teachers, state.teachers.n
    title = t.title[:n]
    rises = t.active[:n] & (title < TOP_TITLE) & (z < context.promotion[title])
    if context.rural_rule:
        served = rural | (t.rural_years[:n] >= context.rural_years_required)
        rises &= (title + 1 != SENIOR) | served
    title += rises


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """The year's training, cycle and promotions (in place); no ledger rows."""
    t, n = state.teachers, state.teachers.n
    u, z, w, x, y = rng.random(state.teacher_county(), 5).T  # a row per slot: training, title, cycle, degree, backbone
    active = t.active[:n]
    rural = state.schools.rural[t.school[:n]]
    trained = active & (u < context.training_probability[rural.astype(np.intp)])
    held_mid = t.title[:n] >= MID_SENIOR_MIN  # before this year's promotion
    degree, backbone = t.degree[:n], t.backbone[:n]
    degree += trained & (degree < TOP_DEGREE) & (x < context.degree_probability)
    backbone[trained & (backbone == 0) & held_mid & (y < context.backbone_probability)] = 1
    promote(state, context, rural, z)
    advance_cycle(t.training_cycle[:n], active, w, context)
    return []


def start_cycle(t, completed: np.ndarray | None, n_schools: int, context: Context,
                rng: np.random.Generator | CountyDraws, section_county: np.ndarray | None = None) -> None:
    """Base-year cycle state: in each section, `completed[s]` teachers chosen at random have
    completed the current cycle, each at a random year of it (⌊v × L⌋), and the others are due.
    Without the counts (None, or NaN for a section whose county does not give them), each
    teacher has completed with the steady-state share c*. `rng`: a generator, or each county's
    stream with `section_county` the county of each section."""
    n, length = t.n, context.cycle_years
    if isinstance(rng, CountyDraws):
        u, v = rng.random(np.asarray(section_county)[t.school[:n]], 2).T
    else:
        u, v = rng.random((n, 2)).T
    steady = u < steady_completion(context.completion_rate, length)
    if completed is None:
        done = steady
    else:
        school = t.school[:n].astype(np.int64)
        given = np.asarray(completed, dtype=np.float64)[school]
        done = np.where(np.isnan(given), steady, rank_within(school, u) < given)
    t.training_cycle[:n] = np.where(done, np.floor(v * length), length).astype(t.training_cycle.dtype)

