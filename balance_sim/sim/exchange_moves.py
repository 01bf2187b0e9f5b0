"""Who the exchange sends where (exchange.py): backbone moves that fill from both ends of each
group's target, two-way swaps that leave every section's counts as they are, and the staggered
terms. All functions are vectorised over sections or teacher slots and change no state.

A group is a county and level (Schools.county_level): every rule below acts within its group,
and all groups are handled in one pass — candidates sorted with the group as the major key and
matched by their rank within the group — so a county's moves in a state of many counties are
the ones it makes alone.

Backbone moves of one group (`backbone_moves`). B_i backbone teachers teach at section i, P_i
pupils; over the group's open sections with pupils the target is the enrolment-weighted mean
of backbone teachers per 100 pupils, T = 100 · ΣB / ΣP. Section i can give
  g_i = min(⌊B_i − T · P_i / 100⌋, its eligible backbone teachers at home)
teachers without falling below T, and take
  r_j = min(⌊C_j − B_j⌋, its non-backbone teachers at home, the partners),
  C_j = max(T · P_j / 100, ⌈m · P_j / 100⌉)
without rising above its ceiling C_j: the target, or the standard's minimum m (quality-2017,
1 backbone teacher per 100 pupils) in whole teachers where that asks more — a school of 137
pupils needs 2 backbone teachers to meet the minimum even when T asks 1.4. Unit m (m = 0, 1, …) of a giver is worth (B_i − m) / P_i, unit m of a
taker (B_j + m) / P_j. Givers' units are ranked by tier (urban and town sections that are not
weak first, then rural or weak ones), then by value, highest first; takers' units by tier (rural
or weak sections first, then the others), then by value, lowest first; ties go to the lower
section. The k-th giver's unit is paired with the k-th taker's unit of the same group for the
first n = min(limit, Σg, Σr) units: the one-teacher-at-a-time rule "the furthest-above sender
sends to the furthest-below receiver, values re-evaluated after each move", done in one sort. Each
move leaves T as it is and, while the receiver ends no further above T than it was below,
lowers the weighted variance Σ P_i (b_i − T)², so more moves do not raise the weighted CV;
a move that lifts a small school to the minimum above T may raise it slightly (the standard's
per-school rule is worth that; docs/validation.md measures the net effect).

Swaps (`swaps`): teachers of one kind (backbone for backbone, or non-backbone for
non-backbone), the k-th of side A (town and urban sections, not weak) with the k-th of side B
(rural or weak sections) of the same group, in the order given (by draw); what one side lacks
is made up by pairing the rest of the group's candidates across two different sections
(`swaps_within`, as many pairs as the sections allow).

Terms (`stagger`): a new pair's term is the return year with the fewest of its group's teachers
away, so a first large cohort is spread over terms 1, 2, …, term and later cohorts get the full
term.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim.groups import order_within, rank_within, stable_order

TOLERANCE = 1e-9  # counts computed in floats: an exact fit counts as a fit


@dataclass(frozen=True)
class Ranked:
    """Candidate slots grouped by section, each group in order of its key: `slots[start[i] +
    m]` is section i's m-th candidate, m < count[i]."""

    slots: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def in_order(cls, slots: np.ndarray, section: np.ndarray, n_sections: int) -> "Ranked":
        """`slots` already in order of preference (e.g. filtered from every slot in order of
        draw), grouped by section in that order; `section`: per slot, a whole array."""
        return cls.grouped(slots[stable_order(section[slots])], section, n_sections)

    @classmethod
    def grouped(cls, slots: np.ndarray, section: np.ndarray, n_sections: int) -> "Ranked":
        """`slots` already section by section, each section's in order of preference."""
        count = np.bincount(section[slots], minlength=n_sections)
        return cls(slots, np.cumsum(count) - count, count)


def first_in_order(mask: np.ndarray, draw: np.ndarray, group: np.ndarray, need: np.ndarray, groups: int,
                   later: np.ndarray | None = None) -> np.ndarray:
    """The first need[g] slots of `mask` in each group g in order of draw, those marked `later`
    after the others (a group with fewer gives all it has), group by group: what every slot
    sorted by draw and then filtered would give, ties by slot. Only the few slots of each group
    below a draw threshold are sorted (`group`, `draw`, `later`: per slot, whole arrays)."""
    if later is None:
        return _first_by_draw(mask, draw, group, need, groups)
    first = _first_by_draw(mask & ~later, draw, group, need, groups)
    second = _first_by_draw(mask & later, draw, group, need - np.bincount(group[first], minlength=groups), groups)
    both = np.concatenate([first, second])
    return both[stable_order(group[both])]


def _first_by_draw(mask, draw, group, need, groups: int) -> np.ndarray:
    slots = np.flatnonzero(mask)
    mine = group[slots]
    count = np.bincount(mine, minlength=groups)
    need = np.minimum(np.maximum(need, 0), count)
    # Draws are uniform: a threshold leaving about need + 4√need + 16 of a group's c slots below it
    # keeps its first `need`; the rare group left short takes all its slots.
    with np.errstate(divide="ignore", invalid="ignore"):
        cut = np.where(need > 0, np.minimum((need + 4 * np.sqrt(need) + 16) / count, 2.0), -1.0)
    below = draw[slots] < cut[mine]
    short = np.bincount(mine[below], minlength=groups) < need
    if short.any():
        below |= short[mine]
    chosen = slots[below]
    chosen = chosen[order_within(group[chosen], draw[chosen])]
    rank = rank_within(group[chosen], np.arange(len(chosen)))
    return chosen[rank < need[group[chosen]]]


@dataclass(frozen=True)
class Candidates:
    """Slots that may be chosen, by section, in order of draw (those marked `later` after the
    others): `count[i]` of section i, and `first(n)`, the first n[i] of each section i ranked.
    `section`, `draw`, `later`: per slot, whole arrays."""

    mask: np.ndarray
    section: np.ndarray
    draw: np.ndarray
    later: np.ndarray | None
    count: np.ndarray

    @classmethod
    def of(cls, mask: np.ndarray, section: np.ndarray, draw: np.ndarray, n_sections: int,
           later: np.ndarray | None = None) -> "Candidates":
        return cls(mask, section, draw, later, np.bincount(section[mask], minlength=n_sections))

    def first(self, n: np.ndarray) -> Ranked:
        slots = first_in_order(self.mask, self.draw, self.section, n, len(self.count), self.later)
        return Ranked.grouped(slots, self.section, len(self.count))


def units(capacity: np.ndarray, sections: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(section, m) of every unit: section `sections[k]` repeated capacity[k] times, m = 0, 1, …"""
    section = np.repeat(sections, capacity)
    first = np.cumsum(capacity) - capacity
    return section, np.arange(len(section)) - np.repeat(first, capacity)


def capacities(backbone: np.ndarray, pupils: np.ndarray, sections: np.ndarray, group: np.ndarray | None = None,
               groups: int = 1, minimum=0.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(T per 100 pupils of each group, room above T in teachers, room below each section's
    ceiling in teachers) of `sections`; `group`: per section (whole array; None: one group);
    the ceiling is T, or the standard's `minimum` per 100 pupils (a number, or one per group) in
    whole teachers where that asks more."""
    group = np.zeros(len(backbone), np.int64) if group is None else group
    mine = group[sections]
    b, p = backbone[sections].astype(float), pupils[sections]
    backbone_sum, pupil_sum = (np.bincount(mine, weights=w, minlength=groups) for w in (b, p))
    target = np.divide(100.0 * backbone_sum, pupil_sum, out=np.zeros(groups), where=pupil_sum > 0)
    share = target[mine] * p / 100.0
    floor = np.broadcast_to(np.asarray(minimum, float), (groups,))[mine]
    ceiling = np.maximum(share, np.ceil(floor * p / 100.0 - TOLERANCE))
    above = np.floor(b - share + TOLERANCE).clip(0).astype(np.int64)
    below = np.floor(ceiling - b + TOLERANCE).clip(0).astype(np.int64)
    return target, above, below


def first_within(group: np.ndarray, order: np.ndarray, n: np.ndarray) -> np.ndarray:
    """The positions of the first n[g] elements of each group g when taken in `order` (an
    order with the group as the major key): group by group, in that order."""
    rank = rank_within(group, order)
    return order[(rank < n[group])[order]]


def backbone_moves(sections, group, groups: int, backbone, pupils, send_tier, receive_tier, givers: Candidates,
                   partners: Candidates, limit: np.ndarray, minimum=0.0) -> tuple[np.ndarray, np.ndarray]:
    """(backbone teachers sent, partners sent back), group by group, of the open `sections`
    with pupils, at most limit[g] pairs in group g (`group`: per section, whole array);
    `backbone`: backbone teachers teaching at each section now; tiers: 0 first, per section;
    `minimum`: the standard's backbone teachers per 100 pupils (a number, or one per group)."""
    _, above, below = capacities(backbone, pupils, sections, group, groups, minimum)
    give = np.minimum(above, givers.count[sections])
    take = np.minimum(below, partners.count[sections])
    n = np.minimum(limit, np.minimum(*(np.bincount(group[sections], weights=w, minlength=groups)
                                       for w in (give, take)))).astype(np.int64)
    if n.sum() <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    givers = givers.first(_by_section(give, sections, len(givers.count)))
    partners = partners.first(_by_section(take, sections, len(partners.count)))
    giver, m = units(give, sections)
    value = (backbone[giver] - m) / pupils[giver]
    pick = first_within(group[giver], np.lexsort((giver, -value, send_tier[giver], group[giver])), n)
    sent = givers.slots[givers.start[giver[pick]] + m[pick]]
    taker, m = units(take, sections)
    value = (backbone[taker] + m) / pupils[taker]
    pick = first_within(group[taker], np.lexsort((taker, value, receive_tier[taker], group[taker])), n)
    back = partners.slots[partners.start[taker[pick]] + m[pick]]
    return sent, back  # both group by group with n[g] each: the k-th of a group with the k-th


def _by_section(values: np.ndarray, sections: np.ndarray, n_sections: int) -> np.ndarray:
    """`values` of `sections` as a whole array over the sections (0 elsewhere)."""
    out = np.zeros(n_sections, np.int64)
    out[sections] = values
    return out


def swaps(side_a: np.ndarray, side_b: np.ndarray, n: np.ndarray, school: np.ndarray, group: np.ndarray,
          groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Up to n[g] pairs of each group g (one array of the pairs' first members, one of their
    second, group by group): the k-th slot of `side_a` with the k-th of `side_b` of the same
    group, then the rest of the group's candidates paired across different sections. The sides
    are slots in group-major order (preference within a group); `group`: per slot."""
    group_a, group_b = group[side_a], group[side_b]
    rank_a = rank_within(group_a, np.arange(len(side_a)))
    rank_b = rank_within(group_b, np.arange(len(side_b)))
    k = np.minimum(n, np.minimum(np.bincount(group_a, minlength=groups), np.bincount(group_b, minlength=groups)))
    k = k.clip(0)
    paired_a, paired_b = rank_a < k[group_a], rank_b < k[group_b]
    first, second = side_a[paired_a], side_b[paired_b]
    rest = np.concatenate([side_a[~paired_a], side_b[~paired_b]])
    rest = rest[stable_order(group[rest])]  # each group's side A rest, then its side B rest
    more_first, more_second = swaps_within(rest, n - k, school, group, groups)
    return by_group(group, (first, more_first), (second, more_second))


def by_group(group: np.ndarray, firsts: tuple, seconds: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Pairs given in parts (first members, second members), put group by group, each group's
    pairs in the order of the parts (`group`: per slot)."""
    first, second = np.concatenate(firsts), np.concatenate(seconds)
    order = stable_order(group[first])
    return first[order], second[order]


def swaps_within(candidates: np.ndarray, n: np.ndarray, school: np.ndarray, group: np.ndarray,
                 groups: int) -> tuple[np.ndarray, np.ndarray]:
    """Up to n[g] pairs of each group g from `candidates` (slots, group-major, in order of
    preference within a group) in two different sections. Sorted by section, the i-th of a
    group's m is paired with its (i + ⌈m/2⌉)-th, which pairs as many as can be paired,
    min(⌊m/2⌋, m − the largest section's); the pairs whose better member comes first in
    `candidates` are kept."""
    if not len(candidates) or n.max(initial=0) <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    mine = group[candidates]
    size = np.bincount(mine, minlength=groups)
    half = size // 2
    where = school[candidates].astype(np.int64)
    by_section = stable_order(mine * (int(where.max()) + 1) + where)  # by group, then section, then position
    rank = rank_within(mine, by_section)[by_section]
    sorted_group = mine[by_section]
    first = by_section[rank < half[sorted_group]]
    second = by_section[rank >= (size - half)[sorted_group]]
    apart = school[candidates[first]] != school[candidates[second]]
    first, second = first[apart], second[apart]
    pair_group = mine[first]
    keep = first_within(pair_group, np.lexsort((np.minimum(first, second), pair_group)), n.clip(0))
    return candidates[first[keep]], candidates[second[keep]]


def stagger(years_left: np.ndarray, term: int, n: int) -> np.ndarray:
    """Terms (years, longest first) for n new pairs, given the years left of the teachers
    already away: each pair in turn takes the return year (1 … term years from now) with the
    fewest teachers away, counting the two teachers of each pair placed, the longest term on ties."""
    return stagger_within(years_left, np.zeros(len(years_left), np.int64), term, np.array([max(n, 0)]), 1)


def stagger_within(years_left: np.ndarray, away_group: np.ndarray, term: int, n: np.ndarray,
                   groups: int) -> np.ndarray:
    """`stagger` in every group at once: terms for n[g] new pairs of each group g, given the
    years left of the teachers away and their groups; group by group, longest first."""
    n = np.asarray(n, np.int64)
    if n.sum() <= 0:
        return np.zeros(0, np.int64)
    cell = away_group.astype(np.int64) * (term + 1) + np.clip(years_left, 0, term)
    away = np.bincount(cell, minlength=groups * (term + 1)).reshape(groups, term + 1)[:, 1:]
    # Candidates (group, year, m): the pair placed m-th in that year of the group, year-major.
    group = np.repeat(np.arange(groups), n * term)
    within = np.arange(len(group)) - np.repeat(np.cumsum(n * term) - n * term, n * term)
    per = n[group]
    years, m = within // per + 1, within % per
    load = away[group, years - 1] + 2 * m
    chosen = first_within(group, np.lexsort((-years, load, group)), n)
    chosen = chosen[np.lexsort((-years[chosen], group[chosen]))]
    return years[chosen]
