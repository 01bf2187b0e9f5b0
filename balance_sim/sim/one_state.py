"""Many counties in one state: one replication of every county of the input through the year
loop at once, then one `Run` per county, the same as each county's run alone.

The base-year state of all the counties is built in one pass (initial.py; county by county and
stacked, stack.py, where the County has a roster or budget table); every mechanism then runs once a year over the whole state,
each county drawing from its own streams, so county c here equals `model.run_county` of county c
with `Streams(seed, replication, c)` — tests/sim/test_one_state.py checks it table by table.
Recorded each year: the whole state's section arrays (split by county afterwards) and the county
figures as arrays over the counties. Teacher conservation is checked per county every year.
"""
from __future__ import annotations

import numpy as np

from balance_sim.county import County
from balance_sim.sim import funding, groups
from balance_sim.sim import ledger as L
from balance_sim.sim.initial import initial_state
from balance_sim.sim.model import COUNTY_FIELDS, MECHANISMS, PANEL_FIELDS, Run, finish, mechanism_name
from balance_sim.sim.stack import county_slots, parts, stack
from balance_sim.sim.state import State
from balance_sim.sim.streams import Streams


def year_counts_by_county(ledger: L.Ledger, state: State) -> np.ndarray:
    """Rows of each move kind in this year, by county (kinds × counties)."""
    out = np.zeros((len(L.MOVE_KINDS), state.counties), np.int64)
    county = state.teacher_county()
    for year, chunk in reversed(ledger.move_chunks):
        if year != state.year:
            break
        out[chunk.kind] += np.bincount(county[chunk.teacher], minlength=state.counties)
    return out


def _per_county(value, counties: int) -> np.ndarray:
    array = np.asarray(value, dtype=float).reshape(-1)
    return np.broadcast_to(array, (counties,)) if array.size == 1 else array


def record(run: Run, state: State, start: np.ndarray, end: np.ndarray, counts: np.ndarray, figures: dict) -> None:
    """The year's section arrays of the whole state, and its county figures as arrays over the counties."""
    s, c = state.schools, state.counties
    run.years.append(state.year)
    p = run.panel
    for name, value in (("pupils", state.pupils), ("classes", s.classes.copy()), ("counts", s.counts),
                        ("exchange_in", s.exchange_in), ("assets", s.assets.copy()), ("public_funds", s.public_funds),
                        ("capital", s.capital), ("quality", s.quality), ("indicators", s.indicators),
                        ("open", s.open.copy())):
        p[name].append(value)
    exchange = np.asarray(state.exchange_counts).reshape(-1, 3)
    targeted = np.asarray(state.targeted_counts).reshape(-1, 2)
    exchange = np.broadcast_to(exchange, (c, 3)) if len(exchange) == 1 else exchange
    targeted = np.broadcast_to(targeted, (c, 2)) if len(targeted) == 1 else targeted
    values = (start, counts[L.HIRE], counts[L.RETIRE], counts[L.LEAVE], end, counts[L.DRIFT], counts[L.POOL],
              counts[L.EXCHANGE_OUT], counts[L.EXCHANGE_RETURN], counts[L.EXCHANGE_STAY], counts[L.CONSOLIDATION],
              *(_per_county(figures.get(name, np.nan), c) for name in funding.FIGURES),
              *exchange.T, *targeted.T, _per_county(s.choice_moved, c), _per_county(s.intake_moved, c))
    for series, value in zip(run.county.values(), values, strict=True):
        series.append(np.array(value))


def reads_at_once(county: County) -> bool:
    """Whether the base-year states of all the County's counties are built in one pass: its
    counties share the base year, every section names its county, and it has no roster or
    budget table (read county by county, each county alone)."""
    schools = county.schools
    if any(table is not None and len(table) for table in (county.teachers, county.budget)):
        return False
    if "county" not in schools or schools["county"].isna().any():
        return False
    if "year" in schools and schools["year"].notna().any():
        return schools.groupby(schools["county"].astype(str))["year"].max().nunique() == 1
    return True


def run_counties(county: County, policy, years: int, seed: int, replication: int,
                 names: list[str] | None = None, codes: list[int] | None = None) -> list[Run]:
    """One replication of the counties `names` (default: all) in one state; county i draws
    from the streams of county code `codes[i]` (default: its position in the input)."""
    all_names = list(county.counties)
    names = all_names if names is None else names
    codes = [all_names.index(n) for n in names] if codes is None else codes
    streams = Streams(seed, replication, counties=tuple(codes))
    if names == all_names and len(names) > 1 and reads_at_once(county):
        state = initial_state(county, policy, streams, years)
    else:
        state = stack([initial_state(county if len(all_names) == 1 else county.select(county=name), policy,
                                     Streams(seed, replication, code), years) for name, code in zip(names, codes)])
    return run_stacked(state, streams, policy, years)


def run_replications(county: County, policy, years: int, seed: int, replications: list[int]) -> list[Run]:
    """The replications `replications` of a County of one county in one state, the replications
    standing side by side as counties do (each from its own streams, `Streams(seed, r, 0)`): the
    same runs as each replication alone, without the year loop's cost per call for each."""
    states = [initial_state(county, policy, Streams(seed, r, 0), years) for r in replications]
    streams = Streams(seed, counties=(0,) * len(replications), replications=tuple(replications))
    return run_stacked(stack(states), streams, policy, years)


def run_stacked(state: State, streams: Streams, policy, years: int) -> list[Run]:
    """The year loop over a stacked base-year state, then one Run per county of it."""
    ledger = L.Ledger()
    whole = Run()
    serving = state.serving_by_county()
    record(whole, state, serving, serving, np.zeros((len(L.MOVE_KINDS), state.counties), np.int64), {})
    for _ in range(years):
        state.year += 1
        for module in MECHANISMS:
            rows = module.step(state, module.Context.of(policy, state.year),
                               streams.draws(mechanism_name(module), state.year))
            ledger.add(state.year, rows)
        counts = year_counts_by_county(ledger, state)
        end = state.serving_by_county()
        L.check_teacher_flow(serving, end, counts)
        record(whole, state, serving, end, counts, state.budget.figures)
        serving = end
    return [finish(run, one, policy) for one, run in zip(parts(state), split(whole, ledger, state), strict=True)]


class SplitLedger(L.Ledger):
    """One county's rows taken from a stacked run's ledger, in its own slot and section numbers."""

    def __init__(self, moves: tuple, funds: tuple):
        super().__init__()
        self._moves, self._funds = moves, funds

    def move_arrays(self):
        return self._moves

    def fund_arrays(self):
        return self._funds


def _split_rows(columns: list, county: np.ndarray, counties: int) -> list[tuple]:
    """Rows (a list of equal-length arrays) split by county, each county's in their order, as
    views of one county-ordered copy per column; the list is emptied as each column is split,
    so at most one whole column is held twice."""
    order = groups.stable_order(county)
    bounds = np.r_[0, np.cumsum(np.bincount(county, minlength=counties))]
    pieces = [[] for _ in range(counties)]
    while columns:
        ordered = columns.pop(0)[order]
        for c in range(counties):
            pieces[c].append(ordered[bounds[c]:bounds[c + 1]])
    return [tuple(p) for p in pieces]


def split(whole: Run, ledger: L.Ledger, state: State) -> list[Run]:
    """One Run per county from the stacked run (its sections' arrays, figures and ledger rows).
    The rows move into the counties' ledgers: `ledger` is left empty (a national run's rows
    are a gigabyte)."""
    c_of_section = state.schools.county
    first = np.r_[0, np.cumsum(np.bincount(c_of_section, minlength=state.counties))]
    teacher_county = state.teacher_county()

    def local_section(x, county):
        return np.where(x >= 0, x - first[county], -1).astype(x.dtype)

    year, kind, teacher, source, target = ledger.move_arrays()
    ledger.move_chunks = []
    mover_county = teacher_county[teacher]
    local_slot = groups.rank_within(teacher_county, groups.stable_order(teacher_county))
    columns = [year, kind, local_slot[teacher].astype(np.int32), local_section(source, mover_county),
               local_section(target, mover_county)]
    del year, kind, teacher, source, target, local_slot
    moves = _split_rows(columns, mover_county, state.counties)
    fund_county = ledger.fund_counties()
    f_year, item, school, group, yuan, quantity = ledger.fund_arrays()
    ledger.fund_chunks = []
    columns = [f_year, item, local_section(school, fund_county), group, yuan, quantity]
    del f_year, item, school, group, yuan, quantity
    funds = _split_rows(columns, fund_county, state.counties)
    runs = []
    for c in range(state.counties):
        run = Run(years=list(whole.years), ledger=SplitLedger(moves[c], funds[c]))
        sections = slice(first[c], first[c + 1])
        run.panel = {k: [v[sections] for v in series] for k, series in whole.panel.items()}
        run.county = {k: [v[c].item() for v in series] for k, series in whole.county.items()}
        runs.append(run)
    return runs


__all__ = ["run_counties", "split", "COUNTY_FIELDS", "PANEL_FIELDS", "county_slots"]
