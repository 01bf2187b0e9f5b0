"""The year loop: one county, one replication, mechanisms in a fixed order (design.md).

Each simulated year: enrolment (cohorts, urbanisation, choice, consolidation, intake caps,
classes, classrooms to build) → funding (budget, recurrent claims, replacement, earmarked new
funds) → retirement and attrition → drift and the county pool → hiring → training and titles →
targeted training → exchange → quality
(teacher counts, indicators, quality index); the state's arrays are recorded. Every mechanism is
a module with `Context.of(policy, year)` (the policy's values in force that year) and
`step(state, context, rng) -> ledger rows`; `rng` is the mechanism's own stream for the year
(streams.py). Conservation is checked at the end of every year. County metrics are computed
after the loop, for all years at once (metrics.py). Adding a mechanism is adding a module and
one line in `MECHANISMS`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from balance_sim.county import County
from balance_sim.sim import (enrolment, exchange, funding, hiring, mobility, quality, retirement, targeted_training,
                             training)
from balance_sim.sim import ledger as L
from balance_sim.sim.checklist_items import item_arrays, item_rules
from balance_sim.sim.initial import initial_state
from balance_sim.sim.metrics import Panel, all_metrics
from balance_sim.sim.state import State
from balance_sim.sim.streams import Streams

MECHANISMS = (enrolment, funding, retirement, mobility, hiring, training, targeted_training, exchange, quality)


def mechanism_name(module) -> str:
    return module.__name__.rsplit(".", 1)[-1]


PANEL_FIELDS = ("pupils", "classes", "counts", "exchange_in", "assets", "public_funds", "capital",
                "quality", "indicators", "open")
TEACHER_FIELDS = ("teachers_start", "hired", "retired", "left", "teachers_end", "drift", "pool",
                  "exchange_out", "exchange_return", "exchange_stay", "consolidation")
# The year's exchange counts (state.exchange_counts), the teachers of targeted training
# (state.targeted_counts) and the pupils moved by school choice and by the intake caps.
EXCHANGE_FIELDS = ("exchange_eligible", "exchange_sent", "exchange_backbone_sent")
TARGETED_FIELDS = ("backbone_trained", "pe_art_retrained")
# Yuan and the three-growths flags of the year come from funding (funding.FIGURES).
COUNTY_FIELDS = TEACHER_FIELDS + funding.FIGURES + EXCHANGE_FIELDS + TARGETED_FIELDS + ("choice_moved", "intake_moved")


@dataclass
class Run:
    """What one replication of one county leaves behind: per-year arrays, ledger, final state."""

    years: list[int] = field(default_factory=list)
    panel: dict[str, list] = field(default_factory=lambda: {k: [] for k in PANEL_FIELDS})
    levels: dict = field(default_factory=dict)  # metric → (Y × 2) or (Y × 2 × k), after the loop
    meets: np.ndarray | None = None  # (Y × S) quality-2017 per-school rule
    # Modelled checklist items (Y × len(MODELLED)): values and status codes (checklist_items.py).
    items: tuple[np.ndarray, np.ndarray] | None = None
    county: dict[str, list] = field(default_factory=lambda: {k: [] for k in COUNTY_FIELDS})
    ledger: L.Ledger = field(default_factory=L.Ledger)
    state: State | None = None


def _serving(state: State) -> int:
    return int(np.count_nonzero(state.teachers.active[: state.teachers.n]))


def _record(run: Run, state: State, start: int, end: int, counts: list[int], figures: dict) -> None:
    s = state.schools
    run.years.append(state.year)
    p = run.panel
    p["pupils"].append(state.pupils)
    p["classes"].append(s.classes.copy())
    p["counts"].append(s.counts)
    p["exchange_in"].append(s.exchange_in)
    p["assets"].append(s.assets.copy())
    p["public_funds"].append(s.public_funds)
    p["capital"].append(s.capital)
    p["quality"].append(s.quality)
    p["indicators"].append(s.indicators)
    p["open"].append(s.open.copy())
    values = (start, counts[L.HIRE], counts[L.RETIRE], counts[L.LEAVE], end, counts[L.DRIFT], counts[L.POOL],
              counts[L.EXCHANGE_OUT], counts[L.EXCHANGE_RETURN], counts[L.EXCHANGE_STAY], counts[L.CONSOLIDATION],
              *(_first(figures.get(name, np.nan)) for name in funding.FIGURES),
              *(int(v) for v in np.asarray(state.exchange_counts).reshape(-1, 3)[0]),
              *(int(v) for v in np.asarray(state.targeted_counts).reshape(-1, 2)[0]),
              _first(s.choice_moved), _first(s.intake_moved))
    for series, value in zip(run.county.values(), values, strict=True):
        series.append(value)


def _first(value):
    """A county figure of a state of one county, given as a number or as an array of one."""
    return np.asarray(value).reshape(-1)[0].item()


def close_year(run: Run, state: State, start: int) -> int:
    """The year's teacher conservation checked and the year recorded; returns the teachers
    serving at its end (the next year's start)."""
    counts = L.year_counts(run.ledger, state.year)
    end = _serving(state)
    L.check_teacher_flow(start, end, counts)
    _record(run, state, start, end, counts, state.budget.figures)
    return end


def start(county: County, policy, years: int, streams: Streams) -> tuple[Run, State]:
    """The base-year state, recorded as the first row of every series."""
    run = Run()
    state = initial_state(county, policy, streams, years)
    serving = _serving(state)
    _record(run, state, serving, serving, [0] * len(L.MOVE_KINDS), {})  # no yuan in the base year
    return run, state


def advance(run: Run, state: State, policy, years: int, streams: Streams) -> State:
    """The year loop: every mechanism in order with the policy in force that year, ledger rows
    kept, conservation checked."""
    serving = _serving(state)
    for _ in range(years):
        state.year += 1
        for module in MECHANISMS:
            context = module.Context.of(policy, state.year)
            rows = module.step(state, context, streams.draws(mechanism_name(module), state.year))
            run.ledger.add(state.year, rows)
        serving = close_year(run, state, serving)
    return state


def finish(run: Run, state: State, policy) -> Run:
    """County metrics for every recorded year at once (after the loop)."""
    run.state = state
    s = state.schools
    panel = Panel(
        *(np.stack(run.panel[k]) for k in ("pupils", "classes", "open", "counts", "indicators", "quality")),
        level=s.level, rural=s.rural, teaching_point=s.teaching_point,
    )
    run.levels, run.meets = all_metrics(panel, policy)
    run.items = _items(run, state, panel)
    return run


def _items(run: Run, state: State, panel: Panel):
    s = state.schools
    exchange = np.column_stack([run.county[k] for k in ("exchange_eligible", "exchange_sent", "exchange_backbone_sent")])
    exchange = exchange.astype(float)
    exchange[0] = state.observed_exchange  # the base year as the county table reports it
    return item_arrays(
        panel.pupils, panel.classes, panel.open, panel.counts, np.stack(run.panel["public_funds"]),
        s.boarding_share, s.level, s.school_code, np.isin(s.school_types, item_rules().combined_types), exchange,
        s.observed_classes_over, s.observed_public_funds,
    )


def run_county(county: County, policy, years: int, streams: Streams) -> Run:
    """Simulate one county for `years` years with its streams; the base year is recorded first."""
    run, state = start(county, policy, years, streams)
    state = advance(run, state, policy, years, streams)
    return finish(run, state, policy)
