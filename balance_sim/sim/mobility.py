"""Rural-to-urban drift ("reverse flow", docs/sources.md#local-essays) and the county teacher pool (县管校聘, docs/sources.md#policy-reading-2023).

Drift. A serving rural teacher not on exchange seeks a town or urban post with probability

    d_i = min(1, drift_rate × f(A) × b_i),   b_i = drift_backbone_factor if backbone, else 1

with f(A) = exp(−β × A / 1000) the allowance factor of attrition (retirement.py; β an
assumption, docs/sources.md#teachers, docs/sources.md#assumptions). A seeker moves only into a vacant post of the same level in the same county,

    vacancy_s = max(norm_s − posts_s, 0)   for open town and urban sections s (0 elsewhere),

posts_s the posts held at s by serving teachers, the best-quality sections filled first (last
year's quality index; ties in section order). When seekers outnumber posts, those with the
smallest u_i ÷ d_i move first (a uniform random order among seekers).

Pool (`pool_rebalancing`, optional). Sections above their norm give up their surplus,

    surplus_s = max(posts_s − norm_s, 0),

chosen at random among the teachers at home there (smallest v_i first), to the open sections of
the same county and level below their norm: rural and weak first (Schools.priority), then the furthest
below their norm (vacancy ÷ norm), then in section order.

In a state of many counties every county's drift and pool run within it at once: seekers,
spare teachers and vacant posts are matched by (county, level) (Schools.county_level).

Draws: one row of two per used slot, serving or not, (u, v) = rng.random((n, 2)).T, always both
(each county's rows from its own stream, streams.CountyDraws), so a teacher's draws do not depend on how many slots follow (hires are appended). A moved
teacher takes the post with them and starts at zero years at the new school. Ledger kinds
`drift` and `pool` (teacher, section left, section joined).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.groups import order_within
from balance_sim.sim.retirement import allowance_factor
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import State, Teachers


@dataclass(frozen=True)
class Context:
    """The policy's drift and pool values in force in one year."""

    drift_rate: float  # share of rural teachers seeking a town or urban post a year, after f(A)
    backbone_factor: float
    pool: bool

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        t = policy.teachers
        factor = allowance_factor(t.hardship_allowance_yuan_month.at(year), t.allowance_effect_per_1000)
        return cls(drift_rate=t.drift_rate * factor, backbone_factor=t.drift_backbone_factor,
                   pool=t.pool_rebalancing)


def posts_held(t: Teachers, n_sections: int) -> np.ndarray:
    """Posts held at each section by serving teachers (exchange teachers count at home)."""
    n = t.n
    return np.bincount(t.post[:n][t.active[:n]], minlength=n_sections)


def fill_vacancies(movers: np.ndarray, mover_group: np.ndarray, sections: np.ndarray,
                   section_group: np.ndarray, vacancy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pair movers (in the order given) with vacant posts of their group (a county and level:
    Schools.county_level), the sections taken in the order given, each section's posts in a
    row: a group's r-th mover takes its r-th vacant post. Returns (movers placed, their
    sections), group by group (smallest code first), each group's in the movers' order."""
    movers = np.asarray(movers, np.int64)
    mover_group = np.asarray(mover_group, np.int64)
    slots = np.repeat(sections, vacancy[sections]).astype(np.int64)
    groups = int(max(mover_group.max(initial=-1), section_group.max(initial=-1))) + 1
    # The vacant posts grouped (a stable sort keeps each group's posts in the sections' order).
    slots = slots[np.argsort(section_group[slots], kind="stable")]
    posts = np.bincount(section_group[slots], minlength=groups)
    first_post = np.cumsum(posts) - posts
    by_group = np.argsort(mover_group, kind="stable")
    movers, mover_group = movers[by_group], mover_group[by_group]
    rank = np.arange(len(movers)) - np.searchsorted(mover_group, mover_group, side="left")
    placed = rank < posts[mover_group]
    target = slots[first_post[mover_group[placed]] + rank[placed]]
    return movers[placed], target


def move(t: Teachers, kind: int, who: np.ndarray, target: np.ndarray) -> L.Moves:
    """Move teachers `who` with their posts to `target`; the ledger's rows."""
    rows = L.moves(kind, who, t.school[who], target)
    t.school[who] = target
    t.post[who] = target
    t.years_at_school[who] = 0
    return rows


def drift(state: State, context: Context, u: np.ndarray) -> L.Moves:
    """The year's rural-to-urban drift (see the module's docstring)."""
    t, s = state.teachers, state.schools
    n = t.n
    school = t.school[:n]
    chance = np.minimum(context.drift_rate * np.where(t.backbone[:n] > 0, context.backbone_factor, 1.0), 1.0)
    seeking = t.active[:n] & (t.exchange_left[:n] == 0) & s.rural[school] & (u < chance)
    seekers = np.flatnonzero(seeking)
    seekers = seekers[np.argsort(u[seekers] / chance[seekers], kind="stable")]
    held = posts_held(t, s.n)
    vacancy = np.where(s.open & ~s.rural, np.maximum(state.norm - held, 0), 0)
    best_first = np.argsort(np.where(np.isnan(s.quality), np.inf, -s.quality), kind="stable")
    who, target = fill_vacancies(seekers, s.county_level[school[seekers]], best_first, s.county_level, vacancy)
    return move(t, L.DRIFT, who, target)


def shortage_order(state: State, vacancy: np.ndarray) -> np.ndarray:
    """Sections with vacant posts, county by county (the county the major key: quotas and
    pools act within their county), rural and weak first (Schools.priority), then the furthest
    below their norm (vacancy ÷ norm), then in section order."""
    s = state.schools
    short = np.flatnonzero(vacancy > 0)
    ratio = vacancy[short] / np.maximum(state.norm[short], 1)
    return short[np.lexsort((short, -ratio, s.priority[short], s.county[short]))]


def rank_within(groups: np.ndarray, key: np.ndarray) -> np.ndarray:
    """Each element's rank 0, 1, … within its group, by key (smallest first; ties by position)."""
    order = order_within(groups, key)
    sorted_groups = groups[order]
    start = np.searchsorted(sorted_groups, sorted_groups, side="left")
    rank = np.empty(len(groups), np.int64)
    rank[order] = np.arange(len(groups)) - start
    return rank


def pool(state: State, v: np.ndarray) -> L.Moves:
    """The county pool's moves from sections above their norm to sections below it."""
    t, s = state.teachers, state.schools
    n = t.n
    held = posts_held(t, s.n)
    surplus = np.maximum(held - state.norm, 0)
    vacancy = np.where(s.open, np.maximum(state.norm - held, 0), 0)
    post = t.post[:n]
    at_home = t.active[:n] & (t.exchange_left[:n] == 0) & (t.school[:n] == post) & (surplus[post] > 0)
    movable = np.flatnonzero(at_home)
    spare = movable[rank_within(post[movable], v[movable]) < surplus[post[movable]]]
    spare = spare[np.argsort(v[spare], kind="stable")]
    who, target = fill_vacancies(spare, s.county_level[post[spare]], shortage_order(state, vacancy), s.county_level,
                                 vacancy)
    return move(t, L.POOL, who, target)


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """Drift, then (when the policy runs it) the county pool. Returns the ledger's rows."""
    u, v = rng.random(state.teacher_county(), 2).T  # a row per slot: drift, pool
    rows = [drift(state, context, u)]
    if context.pool:
        rows.append(pool(state, v))
    return rows
