"""Who the exchange sends where (exchange.py): backbone moves that fill from both ends of the
level's target, two-way swaps that leave every section's counts as they are, and the staggered
terms. All functions are vectorised over sections or teacher slots and change no state.

Backbone moves of one level (`backbone_moves`). B_i backbone teachers teach at section i, P_i
pupils; over the level's open sections with pupils the target is the enrolment-weighted mean
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
section. The k-th giver's unit is paired with the k-th taker's unit for the first
n = min(limit, Σg, Σr) units: the one-teacher-at-a-time rule "the furthest-above sender sends
to the furthest-below receiver, values re-evaluated after each move", done in one sort. Each
move leaves T as it is and, while the receiver ends no further above T than it was below,
lowers the weighted variance Σ P_i (b_i − T)², so more moves do not raise the weighted CV;
a move that lifts a small school to the minimum above T may raise it slightly (the standard's
per-school rule is worth that; docs/validation.md measures the net effect).

Swaps (`swaps`): teachers of one kind (backbone for backbone, or non-backbone for
non-backbone), the k-th of side A (town and urban sections, not weak) with the k-th of side B
(rural or weak sections), in the order given (by draw); what one side lacks is made up by
pairing the rest of the candidates across two different sections of the level (`swaps_within`,
as many pairs as the sections allow).

Terms (`stagger`): a new pair's term is the return year with the fewest teachers away, so a
first large cohort is spread over terms 1, 2, …, term and later cohorts get the full term.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TOLERANCE = 1e-9  # counts computed in floats: an exact fit counts as a fit


@dataclass(frozen=True)
class Ranked:
    """Candidate slots grouped by section, each group in order of its key: `slots[start[i] +
    m]` is section i's m-th candidate, m < count[i]."""

    slots: np.ndarray
    start: np.ndarray
    count: np.ndarray

    @classmethod
    def of(cls, candidates: np.ndarray, section: np.ndarray, key: np.ndarray, n_sections: int) -> "Ranked":
        """`candidates`: slots; `section` and `key` (in [0, 2)): per slot, whole arrays indexed by
        slot. One sort of section + key / 2 (keys are draws: ties have probability zero)."""
        order = candidates[np.argsort(section[candidates] + 0.5 * key[candidates])]
        count = np.bincount(section[order], minlength=n_sections)
        return cls(order, np.cumsum(count) - count, count)


def units(capacity: np.ndarray, sections: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(section, m) of every unit: section `sections[k]` repeated capacity[k] times, m = 0, 1, …"""
    section = np.repeat(sections, capacity)
    first = np.cumsum(capacity) - capacity
    return section, np.arange(len(section)) - np.repeat(first, capacity)


def capacities(backbone: np.ndarray, pupils: np.ndarray, sections: np.ndarray,
               minimum: float = 0.0) -> tuple[float, np.ndarray, np.ndarray]:
    """(T per 100 pupils, room above T in teachers, room below each section's ceiling in
    teachers) of `sections`; the ceiling is T, or the standard's `minimum` per 100 pupils in
    whole teachers where that asks more."""
    b, p = backbone[sections].astype(float), pupils[sections]
    target = 100.0 * b.sum() / p.sum()
    share = target * p / 100.0
    ceiling = np.maximum(share, np.ceil(minimum * p / 100.0 - TOLERANCE))
    above = np.floor(b - share + TOLERANCE).clip(0).astype(np.int64)
    below = np.floor(ceiling - b + TOLERANCE).clip(0).astype(np.int64)
    return target, above, below


def backbone_moves(sections, backbone, pupils, send_tier, receive_tier, givers: Ranked, partners: Ranked,
                   limit: int, minimum: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """(backbone teachers sent, partners sent back) of one level's `sections` (open, with
    pupils), at most `limit` pairs; `backbone`: backbone teachers teaching at each section now;
    tiers: 0 first, per section; `minimum`: the standard's backbone teachers per 100 pupils."""
    _, above, below = capacities(backbone, pupils, sections, minimum)
    give = np.minimum(above, givers.count[sections])
    take = np.minimum(below, partners.count[sections])
    n = int(min(limit, give.sum(), take.sum()))
    if n <= 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    giver, m = units(give, sections)
    value = (backbone[giver] - m) / pupils[giver]
    pick = np.lexsort((giver, -value, send_tier[giver]))[:n]
    sent = givers.slots[givers.start[giver[pick]] + m[pick]]
    taker, m = units(take, sections)
    value = (backbone[taker] + m) / pupils[taker]
    pick = np.lexsort((taker, value, receive_tier[taker]))[:n]
    back = partners.slots[partners.start[taker[pick]] + m[pick]]
    return sent, back


def swaps(side_a: np.ndarray, side_b: np.ndarray, n: int, school: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Up to n pairs (one from each array of the pairs' two members): the k-th slot of `side_a`
    with the k-th of `side_b`, then the rest of both sides paired across different sections."""
    k = max(min(n, len(side_a), len(side_b)), 0)
    first, second = side_a[:k], side_b[:k]
    rest = np.concatenate([side_a[k:], side_b[k:]])
    more_first, more_second = swaps_within(rest, n - k, school)
    return np.concatenate([first, more_first]), np.concatenate([second, more_second])


def swaps_within(candidates: np.ndarray, n: int, school: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Up to n pairs from `candidates` (slots, in order of preference) in two different
    sections. Sorted by section, the i-th of the m is paired with the (i + ⌈m/2⌉)-th, which
    pairs as many as can be paired, min(⌊m/2⌋, m − the largest section's); the pairs whose
    better member comes first in `candidates` are kept."""
    m = len(candidates)
    h = m // 2
    if n <= 0 or h == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    by_section = np.argsort(school[candidates], kind="stable")  # positions in preference order
    first, second = by_section[:h], by_section[m - h:]
    apart = school[candidates[first]] != school[candidates[second]]
    first, second = first[apart], second[apart]
    keep = np.argsort(np.minimum(first, second), kind="stable")[:n]
    return candidates[first[keep]], candidates[second[keep]]


def stagger(years_left: np.ndarray, term: int, n: int) -> np.ndarray:
    """Terms (years, longest first) for n new pairs, given the years left of the teachers
    already away: each pair in turn takes the return year (1 … term years from now) with the
    fewest teachers away, counting the two teachers of each pair placed, the longest term on ties."""
    if n <= 0:
        return np.zeros(0, np.int64)
    away = np.bincount(np.clip(years_left, 0, term), minlength=term + 1)[1:]
    years = np.repeat(np.arange(1, term + 1), n)
    load = (away[:, None] + 2 * np.arange(n)[None, :]).ravel()  # the pair placed m-th in a year
    chosen = years[np.lexsort((-years, load))[:n]]
    return np.sort(chosen)[::-1]
