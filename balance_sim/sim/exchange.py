"""Teacher exchange and rotation (交流轮岗): backbone teachers go from sections above their
county and level's target to sections below it, each matched by a teacher of the receiving section going
the other way for the same term, so that more exchange narrows the backbone gap and does not
widen it — the backbone CV falls and then stays flat (docs/validation.md) — (docs/sources.md#quality-2017, docs/sources.md#teachers;
docs/sources.md#moe-2005, docs/sources.md#local-essays; docs/sources.md#lever-teachers).

Each year, in this order (draws: u = rng.random(county, 3), one row per teacher slot from its
county's stream; column 0 decides stays, column 1 orders the candidates, column 2 the terms):

1. Term ends. Every serving teacher away (exchange_left > 0) serves one more year; at 0 the
   term ends. The two teachers of a pair (the same two sections, opposite ways, the same
   return year) decide together with the draw of the pair's lower slot: both stay where they
   teach with `exchange_stay_probability`, their posts moving there (ledger exchange_stay;
   years at the school restart at 0 with the new post), or both go home (exchange_return). A
   teacher whose home section has closed stays, and its pair with it. A teacher back this
   year is not sent again this year.
2. Eligible teachers, as the checklist item counts them: serving, at home (not away), at an
   open section, at least `exchange_min_years` there. `years_at_school` counts the years at
   the section holding the post: a term away does not interrupt it (the post stays home), so
   a returned teacher may be sent again from the next year; otherwise each sender's eligible
   backbone teachers would run out within a few terms and a faster first closing of the gap
   would be paid for by a wider gap later. Per county and level l (a group: the exchange acts
   within its county, every pair in one county and level): E_l of them; the quota of teachers
   rotated is Q_l = ⌈exchange_rate · E_l⌉, in N_l = ⌈Q_l / 2⌉ pairs (two rotate per pair).
3. Backbone moves (exchange_moves.backbone_moves): up to N_l pairs, each an eligible backbone
   teacher (not of PE or arts) of a section above the target T_l (enrolment-weighted mean of backbone teachers per
   100 pupils over the county and level's open sections, counted from the teachers teaching there now)
   and a non-backbone teacher (not of PE or arts) of a section below it (an eligible one first), filled from both
   ends, mainly from town and urban to rural and weak sections; no sender ends below T_l and
   no receiver above T_l — or, with `exchange_to_minimum`, above the standard's minimum in whole
   teachers where that asks more (a small school needs a whole backbone teacher to meet it).
4. Backbone share: while backbone teachers are fewer than `backbone_share_min` of the 2 · N_l
   rotating, eligible backbone teachers swap with eligible backbone teachers (each section's
   backbone count unchanged); the backbone teachers of the sections whose posts hold more than
   the target asks (`givers_by_post`) go last, being needed for backbone moves.
5. The rest of the N_l pairs: eligible non-backbone teachers swap, then, if they run out, more
   backbone teachers (town and urban ↔ rural and weak first, exchange_moves.swaps). Every pair
   moves one teacher each way, so the teachers teaching at each section are unchanged by the
   exchange. Swaps are like for like in subject too (a PE or arts teacher swaps only with a PE
   or arts teacher), so the exchange leaves every section's PE and arts teachers as they are:
   subject gaps are the business of hiring (hiring.py). Posts stay at home while away (the post is never left without its teacher's
   counterpart, so no cover from the county pool is needed).
6. Terms (exchange_moves.stagger_within): a pair's term is the return year, 1 … `exchange_term_years`
   years ahead, with the fewest of the county and level's teachers away; the first year's
   cohort returns over `exchange_term_years` years, later ones serve the full term.

All groups are handled in one pass (exchange_moves: sorts with the group as the major key),
so a county's exchange in a state of many counties is the one it has alone.

`state.exchange_counts`, per county = (E_0 + E_1 eligible, teachers rotated this year (both
members of every pair), backbone teachers among them): a (C, 3) array in a stacked state, a
tuple in a state of one county built alone (groups.county_counts).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from balance_sim.sim import ledger as L
from balance_sim.sim.exchange_moves import (TOLERANCE, Candidates, backbone_moves, by_group, capacities,
                                           first_in_order, stagger_within, swaps)
from balance_sim.sim.groups import county_counts
from balance_sim.sim.rules import _standard_rules
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import State


@dataclass(frozen=True)
class Context:
    """The policy's exchange values in force in one year."""

    rate: float  # share of eligible teachers rotated this year
    min_years: int  # years at one school before a teacher is eligible
    backbone_share: float  # smallest share of backbone teachers among those rotated
    term: int  # years of an exchange term
    stay_probability: float  # a pair stays at term end (its posts move)
    backbone_minimum: np.ndarray  # a receiver's floor per 100 pupils, by level (0: the target only)

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        t = policy.teachers
        return cls(rate=float(t.exchange_rate.at(year)), min_years=int(t.exchange_min_years),
                   backbone_share=float(t.backbone_share_min.at(year)), term=int(t.exchange_term_years),
                   stay_probability=float(t.exchange_stay_probability),
                   backbone_minimum=backbone_minimum() if t.exchange_to_minimum else np.zeros(2))


def backbone_minimum() -> np.ndarray:
    """The quality-2017 minimum of backbone teachers per 100 pupils, by level (docs/sources.md#quality-2017)."""
    return _standard_rules("quality-2017").minimum("backbone_teachers_per_100")


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """One year of exchange (module docstring); returns the ledger's stay, return and out rows."""
    t, s = state.teachers, state.schools
    county = state.teacher_county()
    u = rng.random(county, 3)
    stays, returns, back = end_terms(state, u[:, 0], context.stay_probability)
    counted = eligible_teachers(state, back, context.min_years)
    pool = Pool.of(state, at_home(state, back), counted, u[:, 1])
    group = s.county_level[t.school[: t.n]]
    first, second = send(state, pool, np.bincount(group[counted], minlength=2 * state.counties), context)
    rows = depart(state, first, second, u[:, 2], context.term)
    sent = np.concatenate([first, second])
    c = state.counties
    state.exchange_counts = county_counts(state, np.column_stack([
        np.bincount(county[counted], minlength=c), np.bincount(county[sent], minlength=c),
        np.bincount(county[sent[t.backbone[sent] > 0]], minlength=c)]))
    return [stays, returns, rows]


def end_terms(state: State, u: np.ndarray, stay_probability: float):
    """Step 1: (stay rows, return rows, True for the slots whose term ended this year)."""
    t, s = state.teachers, state.schools
    n = t.n
    away = np.flatnonzero(t.active[:n] & (t.exchange_left[:n] > 0))
    t.exchange_left[away] -= 1
    done = away[t.exchange_left[away] == 0]
    back = np.zeros(n, bool)
    back[done] = True
    done = done[t.school[done] != t.post[done]]  # a post merged into the place: nothing to settle
    here, home = t.school[done].astype(np.int64), t.post[done].astype(np.int64)
    lead, closed = pairs_ending(done, here, home, s.open)
    stay = (u[lead] < stay_probability) | closed
    stayers, goers = done[stay], done[~stay]
    stays = L.moves(L.EXCHANGE_STAY, stayers, home[stay], here[stay])
    returns = L.moves(L.EXCHANGE_RETURN, goers, here[~stay], home[~stay])
    t.post[stayers] = t.school[stayers]
    t.school[goers] = t.post[goers]
    t.years_at_school[stayers] = 0  # a new post; an exchange term does not interrupt the old one
    return stays, returns, back


def pairs_ending(done: np.ndarray, here: np.ndarray, home: np.ndarray, is_open: np.ndarray):
    """Per teacher whose term ends (slots `done`, teaching `here`, posts at `home`): (the lower
    slot of its pair, True where a home section of the pair has closed). A pair is the k-th
    teacher going A → B with the k-th going B → A (in slot order) among those ending now; a
    teacher without one is a pair alone."""
    if len(done) == 0:
        return done, np.zeros(0, bool)
    low, high = np.minimum(here, home), np.maximum(here, home)
    outward = home == low
    route = low * len(is_open) + high
    order = np.lexsort((done, outward, route))
    way = (route * 2 + outward)[order]
    starts = np.flatnonzero(np.r_[True, way[1:] != way[:-1]])
    rank = np.empty(len(done), np.int64)
    rank[order] = np.arange(len(done)) - np.repeat(starts, np.diff(np.r_[starts, len(done)]))
    _, pair = np.unique(route * (len(done) + 1) + rank, return_inverse=True)
    lead = np.full(pair.max() + 1, np.iinfo(np.int64).max)
    np.minimum.at(lead, pair, done)
    closed = np.zeros(len(lead), bool)
    np.logical_or.at(closed, pair, ~is_open[home])
    return lead[pair], closed[pair]


def eligible_teachers(state: State, back: np.ndarray, min_years: int) -> np.ndarray:
    """Per slot, as the checklist item counts them: serving, at home (not away, teaching at the
    section holding the post), at an open section, at least `min_years` there; not back this year."""
    t, s = state.teachers, state.schools
    n = t.n
    school = t.school[:n]
    return (t.active[:n] & (t.exchange_left[:n] == 0) & (school == t.post[:n]) & s.open[school]
            & (t.years_at_school[:n] >= min_years) & ~back)


def at_home(state: State, back: np.ndarray) -> np.ndarray:
    """Per slot: serving, not away, teaching at the section holding the post, an open section
    with pupils; not back this year (the teachers who may go)."""
    t, s = state.teachers, state.schools
    n = t.n
    school = t.school[:n]
    return (t.active[:n] & (t.exchange_left[:n] == 0) & (school == t.post[:n]) & s.open[school]
            & (state.pupils[school] > 0) & ~back)


def backbone_here(state: State) -> np.ndarray:
    """Backbone teachers teaching at each section now (from the teacher arrays)."""
    t, s = state.teachers, state.schools
    serving = t.active[: t.n] & (t.backbone[: t.n] > 0)
    return np.bincount(t.school[: t.n][serving], minlength=s.n)


@dataclass(frozen=True)
class Pool:
    """Who may go this year, for every county and level (group: Schools.county_level); each
    list is in order of draw, chosen without sorting every slot (exchange_moves.first_in_order)."""

    eligible: np.ndarray  # per slot: eligible and at home at a section with pupils
    backbone_here: np.ndarray  # per section: backbone teachers teaching there
    givers: Candidates  # eligible backbone teachers by section
    partners: Candidates  # non-backbone teachers at home by section, eligible ones first
    draw: np.ndarray  # per slot: the order of candidates
    kept_for_moves: np.ndarray  # per slot: at a section that sends backbone teachers (last in backbone swaps)

    @classmethod
    def of(cls, state: State, home: np.ndarray, counted: np.ndarray, draw: np.ndarray) -> "Pool":
        t, s = state.teachers, state.schools
        school, backbone = t.school[: t.n], t.backbone[: t.n] > 0
        eligible = home & counted
        here = backbone_here(state)
        other_subject = ~t.pe_art[: t.n]  # PE and arts teachers are not moved one way (like for like)
        givers = Candidates.of(eligible & backbone & other_subject, school, draw, s.n)
        partners = Candidates.of(home & ~backbone & other_subject, school, draw, s.n, later=~eligible)
        return cls(eligible, here, givers, partners, draw, givers_by_post(state, here)[school])


def send(state: State, pool: Pool, n_counted: np.ndarray, context: Context):
    """Steps 2–5 in every county and level at once, with n_counted[g] eligible teachers in
    group g (Schools.county_level): (first members, second members) of the pairs, slots,
    group by group."""
    t, s = state.teachers, state.schools
    groups = 2 * state.counties
    group = s.county_level
    sections = np.flatnonzero(s.open & (state.pupils > 0))
    has_sections = np.bincount(group[sections], minlength=groups) > 0
    n_pairs = np.where(has_sections, np.ceil(np.ceil(context.rate * n_counted - TOLERANCE) / 2), 0)
    n_pairs = n_pairs.clip(0).astype(np.int64)
    school, backbone = t.school[: t.n], t.backbone[: t.n] > 0
    slot_group = group[school]
    strong = ~s.rural & ~s.weak
    minimum = context.backbone_minimum[np.arange(groups) % 2]  # by group: its level's
    pairs = [backbone_moves(sections, group, groups, pool.backbone_here, state.pupils, (~strong).astype(int),
                            strong.astype(int), pool.givers, pool.partners, n_pairs, minimum)]
    paired = np.bincount(slot_group[pairs[0][0]], minlength=groups)
    n_bb = np.ceil(np.maximum(0.0, 2 * context.backbone_share * n_pairs - paired - TOLERANCE) / 2).astype(np.int64)
    # The swaps choose among eligible teachers only: their stages run on those slots alone
    # (ascending, so ties by position are still ties by slot), and map their pairs back.
    eligible = np.flatnonzero(pool.eligible)
    position = np.full(t.n, -1, np.int64)
    position[eligible] = np.arange(len(eligible))
    candidates = np.ones(len(eligible), bool)
    e_school, e_group, e_draw = school[eligible], slot_group[eligible], pool.draw[eligible]
    e_strong, e_backbone, e_kept = strong[e_school], backbone[eligible], pool.kept_for_moves[eligible]
    e_pe_art = t.pe_art[: t.n][eligible]

    def swap_stage(kind: np.ndarray, later: np.ndarray | None, most: np.ndarray) -> np.ndarray:
        nonlocal paired
        for members in pairs[-1]:
            at = position[members]
            candidates[at[at >= 0]] = False
        left = n_pairs - paired
        first, second = swap(candidates & kind, later, e_draw, e_school, e_strong, np.minimum(most, left), e_group,
                             groups)
        pairs.append((eligible[first], eligible[second]))
        made = np.bincount(slot_group[pairs[-1][0]], minlength=groups)
        paired = paired + made
        return made

    # Step 4: backbone swaps for the share; step 5: other swaps, more backbone swaps if short.
    subjects = (~e_pe_art, e_pe_art)  # like for like: PE and arts teachers swap among themselves
    for subject in subjects:
        n_bb = n_bb - swap_stage(e_backbone & subject, e_kept, n_bb)
    for kind, later in ((~e_backbone, None), (e_backbone, e_kept)):
        for subject in subjects:
            swap_stage(kind & subject, later, n_pairs)
    # Each group's pairs in the order of the stages, as the group would make them alone.
    return by_group(slot_group, *zip(*pairs))


def givers_by_post(state: State, here: np.ndarray) -> np.ndarray:
    """True for the sections whose posts hold at least one backbone teacher more than their
    county and level's target asks (the sections that send, including those whose backbone
    teachers are away now): their eligible backbone teachers are kept for backbone moves, not
    spent on backbone swaps. `here`: backbone teachers teaching at each section."""
    t, s = state.teachers, state.schools
    serving = t.active[: t.n] & (t.backbone[: t.n] > 0)
    posts = np.bincount(t.post[: t.n][serving], minlength=s.n)
    giver = np.zeros(s.n, bool)
    sections = np.flatnonzero(s.open & (state.pupils > 0))
    if len(sections):
        group = s.county_level
        target, _, _ = capacities(here, state.pupils, sections, group, 2 * state.counties)
        share = target[group[sections]] * state.pupils[sections] / 100.0
        giver[sections] = posts[sections] - share >= 1.0 - TOLERANCE
    return giver


def swap(candidates: np.ndarray, later: np.ndarray | None, draw: np.ndarray, school: np.ndarray,
         strong_slot: np.ndarray, n: np.ndarray, group: np.ndarray, groups: int):
    """Up to n[g] pairs of group g of the `candidates` (a mask over slots) in order of draw
    (those marked `later` last), side A = slots at strong sections (`strong_slot`), side B = the
    others; `group`: per slot.
    Each side's first k = min(n, |A|, |B|) of a group are paired; a group whose shorter side runs
    out pairs the rest across sections, so its whole lists are taken (exchange_moves.swaps)."""
    side_a = candidates & strong_slot
    side_b = candidates & ~strong_slot
    count_a, count_b = (np.bincount(group[side], minlength=groups) for side in (side_a, side_b))
    k = np.minimum(n, np.minimum(count_a, count_b)).clip(0)
    whole = n > k
    return swaps(first_in_order(side_a, draw, group, np.where(whole, count_a, k), groups, later),
                 first_in_order(side_b, draw, group, np.where(whole, count_b, k), groups, later),
                 n, school, group, groups)


def depart(state: State, first: np.ndarray, second: np.ndarray, u: np.ndarray, term: int):
    """Steps 5–6: each pair's two teachers change places for a term staggered within its county
    and level; the ledger's rows."""
    t, s = state.teachers, state.schools
    n = t.n
    groups = 2 * state.counties
    away = np.flatnonzero(t.active[:n] & (t.exchange_left[:n] > 0))
    pair_group = s.county_level[t.school[first]]
    # Each group's pairs by draw (stable: as the group's pairs alone), then the group's terms.
    order = np.lexsort((u[first], pair_group))
    terms = stagger_within(t.exchange_left[away], s.county_level[t.school[away]], term,
                           np.bincount(pair_group, minlength=groups), groups)
    t.exchange_left[first[order]] = terms
    t.exchange_left[second[order]] = terms
    a, b = t.school[first].copy(), t.school[second].copy()
    t.school[first], t.school[second] = b, a
    movers = np.concatenate([first, second])
    return L.moves(L.EXCHANGE_OUT, movers, np.concatenate([a, b]), np.concatenate([b, a]))
