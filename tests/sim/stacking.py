"""Counties alone and the same counties in one state, for the tests that a mechanism acts on a
state of many counties exactly as on each county alone (stack.py, streams.CountyDraws)."""
from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np

from balance_sim.datasets import demo_province
from balance_sim.sim import ledger as L
from balance_sim.sim.budget import Budget
from balance_sim.sim.initial import initial_state
from balance_sim.sim.model import MECHANISMS, mechanism_name
from balance_sim.sim.policy import default_policy
from balance_sim.sim.result import SimulationResult
from balance_sim.sim.stack import county_slots, part, parts, stack
from balance_sim.sim.state import Schools, State, Teachers
from balance_sim.sim.streams import Streams
from balance_sim.validation.certify import CERTIFYING_MIX

SEED = 11
TABLES = ("schools", "county", "teacher_moves", "funding", "checklist")  # a result's tables, compared whole


@lru_cache(maxsize=1)
def province():
    return demo_province()


def county_streams(index: int, seed: int = SEED, replication: int = 0) -> Streams:
    return Streams(seed, replication, index)


def stacked_streams(n: int, seed: int = SEED, replication: int = 0) -> Streams:
    return Streams(seed, replication, counties=tuple(range(n)))


def alone_states(n: int = 3, years: int = 2, until: str | None = None, policy=None, seed: int = SEED,
                 first: int = 0) -> list[State]:
    """Counties `first` … `first + n − 1` of the demo province, each alone with its own streams
    (county index = its position), run `years` whole years and then, in the next year, every
    mechanism before `until` (None: none; the year is not started)."""
    policy = policy or default_policy()
    county = province()
    names = list(county.counties)[first:first + n]
    states = []
    for position, name in enumerate(names):
        streams = county_streams(position, seed)
        state = initial_state(county.select(county=name), policy, streams, years + 1)
        for _ in range(years):
            state.year += 1
            for module in MECHANISMS:
                module.step(state, module.Context.of(policy, state.year), streams.draws(mechanism_name(module), state.year))
        if until is not None:
            state.year += 1
            for module in MECHANISMS:
                if mechanism_name(module) == until:
                    break
                module.step(state, module.Context.of(policy, state.year), streams.draws(mechanism_name(module), state.year))
        states.append(state)
    return states


def step_both(module, states: list[State], policy=None, seed: int = SEED):
    """`module`'s step on a stack of copies of `states` and on each state alone (in place):
    (stacked state, stacked rows, [rows of each county alone])."""
    policy = policy or default_policy()
    stacked = stack(states)
    year = states[0].year
    context = module.Context.of(policy, year)
    name = mechanism_name(module)
    stacked_rows = module.step(stacked, context, stacked_streams(len(states), seed).draws(name, year))
    alone_rows = [module.step(s, context, county_streams(i, seed).draws(name, year)) for i, s in enumerate(states)]
    return stacked, stacked_rows, alone_rows


def _same(a, b, where: str) -> None:
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        a, b = np.asarray(a), np.asarray(b)
        assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
        if a.dtype.kind in "fc" or b.dtype.kind in "fc":
            assert np.array_equal(a, b, equal_nan=True), f"{where}: differs at {np.argwhere(a != b)[:5].tolist()}"
        else:
            assert np.array_equal(a, b), f"{where}: differs at {np.argwhere(a != b)[:5].tolist()}"
    elif isinstance(a, float) or isinstance(b, float):
        assert (np.isnan(a) and np.isnan(b)) or a == b, f"{where}: {a} != {b}"
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), f"{where}: keys {sorted(a)} != {sorted(b)}"
        for k in a:
            _same(a[k], b[k], f"{where}[{k}]")
    else:
        assert a == b, f"{where}: {a!r} != {b!r}"


def assert_same_state(stacked: State, alone: list[State]) -> None:
    """Every county of `stacked` equals its state alone, field by field (teachers: used slots),
    taken out one at a time (`part`) and all at once (`parts`)."""
    assert stacked.counties == len(alone)
    each = [part(stacked, c) for c in range(stacked.counties)]
    for c, (one, mine, taken_together) in enumerate(zip(alone, each, parts(stacked), strict=True)):
        _same_part(c, mine, one)
        _same_part(c, taken_together, one)


def _same_part(c: int, mine: State, one: State) -> None:
        for f in dataclasses.fields(Schools):
            _same(getattr(mine.schools, f.name), getattr(one.schools, f.name), f"county {c} schools.{f.name}")
        n = one.teachers.n
        assert mine.teachers.n == n, f"county {c}: {mine.teachers.n} teacher slots used, alone {n}"
        for f in dataclasses.fields(Teachers):
            if f.name != "n":
                _same(getattr(mine.teachers, f.name)[:n], getattr(one.teachers, f.name)[:n], f"county {c} teachers.{f.name}")
        if one.budget is not None:
            for f in dataclasses.fields(Budget):
                _same(_plain(getattr(mine.budget, f.name)), _plain(getattr(one.budget, f.name)), f"county {c} budget.{f.name}")
        for name in ("pupils", "norm"):
            _same(getattr(mine, name), getattr(one, name), f"county {c} {name}")
        _same(tuple(mine.exchange_counts), tuple(one.exchange_counts), f"county {c} exchange_counts")
        _same(tuple(mine.targeted_counts), tuple(one.targeted_counts), f"county {c} targeted_counts")
        assert mine.notes == one.notes, f"county {c} notes"


def _plain(value):
    """Budget numbers as floats or float arrays, whether a county's are scalars or length-1 arrays."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    array = np.asarray(value, dtype=float)
    return float(array.reshape(-1)[0]) if array.size == 1 else array


def county_moves(rows: list, stacked: State, county: int) -> list[tuple[int, np.ndarray]]:
    """The teacher-move rows (L.Moves) of `county` in its own slot and section numbers:
    [(kind, 3 × k rows)], in the order written, empty kinds dropped."""
    slots = county_slots(stacked, county)
    first = int(np.flatnonzero(stacked.schools.county == county)[0])
    out = []
    for row in rows:
        if not isinstance(row, L.Moves):
            continue
        mine = np.isin(row.teacher, slots)
        if not mine.any():
            continue
        local = np.searchsorted(slots, row.teacher[mine])
        places = [np.where(x[mine] >= 0, x[mine] - first, -1) for x in (row.source, row.target)]
        out.append((row.kind, np.vstack([local, *places])))
    return out


def alone_moves(rows: list) -> list[tuple[int, np.ndarray]]:
    return [(row.kind, row.rows) for row in rows if isinstance(row, L.Moves) and row.rows.shape[1]]


def assert_same_moves(stacked_rows: list, stacked: State, alone_rows: list[list]) -> None:
    """Each county's teacher moves in the stacked run equal its moves alone (per kind, in order)."""
    for c, rows in enumerate(alone_rows):
        mine, theirs = _by_kind(county_moves(stacked_rows, stacked, c)), _by_kind(alone_moves(rows))
        assert mine.keys() == theirs.keys(), f"county {c}: kinds {sorted(mine)} != {sorted(theirs)}"
        for kind in mine:
            _same(mine[kind], theirs[kind], f"county {c} moves {L.MOVE_KINDS[kind]}")


def _by_kind(chunks):
    out: dict[int, list] = {}
    for kind, rows in chunks:
        out.setdefault(kind, []).append(rows)
    return {k: np.concatenate(v, axis=1) for k, v in out.items()}


def result_of(runs: list, names: list[str], policy, seed: int, years: int) -> SimulationResult:
    """A one-replication result of the runs [(county name, 0, Run)], to compare tables."""
    return SimulationResult(policy=policy, seed=seed, replications=1, years=list(runs[0][2].years), counties=names,
                            notes=[], runs=runs)


def levers_policy():
    """The mix of levers that certifies the demo county (docs/validation.md), with the county pool
    and consolidation on too, and more new funds earmarked for rural schools."""
    changes = {key: value for key, (value, _) in CERTIFYING_MIX.items()}
    return default_policy().override({**changes, "funding.rural_share": 0.8, "teachers.pool_rebalancing": True,
                                      "enrolment.consolidation.enabled": True})
