"""Targeted training for the standard's teacher minimums: county backbone training (骨干教师培训)
and retraining to teach PE or arts (转岗培训) in the sections that lack them, rural and weak
sections first (docs/sources.md#moe-2005 item 8: "strengthen the training of backbone teachers of rural and weak
schools"; §7 and §9: staff every school with qualified teachers and teach the whole curriculum,
music, PE and art included; docs/sources.md#lever-teachers).

Each year, after the general training (training.py), for each kind k (backbone; PE and arts)
and each open section s in the standard's scope (not a teaching point below the scope's
pupils), with P_s pupils, m_k the quality-2017 minimum per 100 pupils of its level and H_ks
the teachers of kind k holding a post at s (their own teachers: an exchange teacher is
temporary):

    need_ks = max(⌈m_k · P_s / 100⌉ − H_ks, 0)            teachers short of the minimum
    units (s, j), j < min(need_ks, candidates_ks)          ordered by Schools.priority (rural
                                                           and weak first), then by (H_ks + j) /
                                                           ⌈m_k P_s / 100⌉, lowest first

and the first `per_year_k` units of each county are trained (the quota is a county's: the
units are ranked within their county), each the j-th candidate of its section:

- backbone: serving teachers at home at s, not backbone, holding a mid or senior title, the
  highest title first (then by draw); each becomes a county backbone teacher;
- PE and arts: serving teachers at home at s, neither PE/arts nor backbone, by draw; each
  becomes a PE or arts teacher (a subject change, so the staff count is unchanged).

So no section is trained beyond its minimum, and the number a county trains is at most the
year's quota. Cost: `funding.backbone_training_cost_per_teacher` and
`funding.subject_retraining_cost_per_teacher` per teacher trained, recorded per section in
`Schools.targeted_trained_yuan` and paid by funding the next year with the training claim
(courses are settled after they are held). Draws: rng.random(n) over the used slots (order
among a section's equal candidates), each county's from its own stream; a year with no quota or
no section short draws nothing (the stream is the mechanism's own, so nothing else changes).

`state.targeted_counts`, per county = (teachers named backbone, teachers retrained): a (C, 2)
array in a stacked state, a tuple in a state of one county built alone (groups.county_counts).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np

from balance_sim.sim.exchange_moves import Ranked, first_within, units
from balance_sim.sim.groups import county_counts, stable_argsort, stable_order
from balance_sim.sim.rules import Rules, _standard_rules
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import MID_SENIOR_MIN, State

KINDS = ("backbone_teachers_per_100", "pe_art_teachers_per_100")


@dataclass(frozen=True)
class Context:
    """The targeted-training levers in force in one year."""

    backbone_per_year: int  # teachers each county trains as county backbone teachers this year (at most)
    retraining_per_year: int  # teachers each county retrains to teach PE or arts this year (at most)
    backbone_cost: float  # yuan per teacher
    retraining_cost: float  # yuan per teacher
    rules: Rules  # quality-2017: its minimums and the sections it counts

    @property
    def minimums(self) -> np.ndarray:
        """(2 levels, 2 kinds) per 100 pupils."""
        return np.column_stack([self.rules.minimum(key) for key in KINDS])

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        t, f = policy.teachers, policy.funding
        return cls(backbone_per_year=int(t.backbone_training_per_year.at(year)),
                   retraining_per_year=int(t.subject_retraining_per_year.at(year)),
                   backbone_cost=float(f.backbone_training_cost_per_teacher),
                   retraining_cost=float(f.subject_retraining_cost_per_teacher),
                   rules=_standard_rules("quality-2017"))


def in_scope(state: State, context: Context) -> np.ndarray:
    s = state.schools
    return context.rules.counts(s.open, state.pupils, s.teaching_point)


def need(state: State, held: np.ndarray, minimum: np.ndarray, scope: np.ndarray) -> np.ndarray:
    """need_ks of every section for one kind (`minimum` per 100 pupils by level)."""
    wanted = minimum[state.schools.level] * state.pupils / 100.0
    return np.where(scope, np.maximum(np.ceil(wanted - held - 1e-9), 0), 0).astype(np.int64)


def chosen(state: State, held: np.ndarray, short: np.ndarray, candidates: Ranked, quota: int) -> np.ndarray:
    """Slots of the teachers trained: the first `quota` units of each county in the order of
    the docstring, county by county."""
    s = state.schools
    room = np.minimum(short, candidates.count)
    sections = np.flatnonzero(room > 0)
    if quota <= 0 or not len(sections):
        return np.zeros(0, np.int64)
    section, j = units(room[sections], sections)
    minimum = np.maximum(short + held, 1)[section]  # ⌈m P / 100⌉ ≥ 1 wherever a unit exists
    county = s.county[section]
    order = np.lexsort((section, (held[section] + j) / minimum, s.priority[section], county))
    pick = first_within(county, order, np.full(state.counties, quota))
    return candidates.slots[candidates.start[section[pick]] + j[pick]]


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """Train this year's teachers (in place); record their cost for next year's budget."""
    t, s = state.teachers, state.schools
    n = t.n
    school = t.school[:n]
    home = t.active[:n] & (school == t.post[:n]) & (t.exchange_left[:n] == 0)
    backbone, pe_art = t.backbone[:n] > 0, t.pe_art[:n]
    scope = in_scope(state, context)
    minimum = context.minimums
    yuan = np.zeros(s.n)

    @cache
    def by_draw() -> np.ndarray:
        """Every slot in order of its draw (drawn and sorted once, and only in a year that trains)."""
        return stable_argsort(rng.random(state.teacher_county()))

    named = retrained = np.zeros(0, np.int64)
    held = np.bincount(t.post[:n][t.active[:n] & backbone], minlength=s.n)
    short = need(state, held, minimum[:, 0], scope)
    if context.backbone_per_year > 0 and short.any():
        order = by_draw()
        senior = order[(home & ~backbone & (t.title[:n] >= MID_SENIOR_MIN))[order]]
        candidates = Ranked.in_order(senior[stable_order(4 - t.title[:n][senior].astype(np.int64))], school,
                                     s.n)  # higher title first, then draw
        named = chosen(state, held, short, candidates, context.backbone_per_year)
        t.backbone[named] = 1  # county level
        np.add.at(yuan, school[named], context.backbone_cost)

    backbone = t.backbone[:n] > 0  # with this year's new backbone teachers
    held = np.bincount(t.post[:n][t.active[:n] & pe_art], minlength=s.n)
    short = need(state, held, minimum[:, 1], scope)
    if context.retraining_per_year > 0 and short.any():
        order = by_draw()
        candidates = Ranked.in_order(order[(home & ~pe_art & ~backbone)[order]], school, s.n)
        retrained = chosen(state, held, short, candidates, context.retraining_per_year)
        t.pe_art[retrained] = True
        np.add.at(yuan, school[retrained], context.retraining_cost)

    s.targeted_trained_yuan = yuan
    county, c = s.county, state.counties
    state.targeted_counts = county_counts(state, np.column_stack([
        np.bincount(county[school[named]], minlength=c), np.bincount(county[school[retrained]], minlength=c)]))
    return []
