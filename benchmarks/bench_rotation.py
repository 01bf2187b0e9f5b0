"""The same teacher-rotation model written three ways, run side by side (issue 15 §3): balance_sim's
own mechanism modules, a Mesa model (`rotation_mesa.py`) and a pandas row loop
(`rotation_pandas.py`). Run: `python benchmarks/bench_rotation.py [--quick]`.

The rotation model
------------------

A county's school sections (one element per section: level, urban / town / rural, weak flag,
teaching-point flag, quality index) with their pupils and staffing norms **fixed** at the base
year (no enrolment, no funding, no training: backbone status is never gained, so the backbone
teachers a section has change only by exits and moves). Every teacher has a section where they
teach and a section holding the post (different while on exchange), age, sex, backbone status,
PE/arts subject, years at the school and exchange years left. Each year, in this order, with the
policy's values in force that year (`balance_sim/sim/default_policy.yaml`; docs/model.md §3–5, §8):

1. **Retirement and attrition** (`retirement.py`). Every serving teacher ages a year and adds a
   year at the school; retires at the retirement age of their sex (60 / 55, from 2030 61 / 56);
   otherwise leaves with the attrition probability of the section where they teach (urban 0.01,
   town 0.015, rural 0.04 · exp(−0.4 · 300 / 1000)).
2. **Drift** (`mobility.py`; the county pool is off). A serving rural teacher not on exchange seeks
   a town or urban post with probability min(1, 0.03 · exp(−0.12) · (2 if backbone else 1)). The
   seekers, in random order, take the vacant posts (norm − posts held, by post) of open town and
   urban sections of their level, highest base-year quality index first; a mover takes the post
   along and restarts at 0 years.
3. **Hiring to the norm** (`hiring.py`). vacancy = max(norm − posts held, 0); at most
   ⌊0.05 · serving⌋ hires a year, sections in the order rural-and-weak, rural, weak, other, then
   the largest vacancy ÷ norm, then section order, a section's vacancies in a row. A section's
   first ⌈0.9 · pupils / 100 − PE/arts posts⌉ hires are PE/arts teachers. Hires are 23, female
   with probability 0.7, not backbone.
4. **Exchange** (`exchange.py`, `exchange_moves.py`):
   a. *Term ends.* A teacher away serves a year; at 0 the pair decides together: both stay with
      probability 0.1 (posts move, years at the school restart) or both go home. Those back this
      year are not sent again this year.
   b. *Eligible:* serving, at home, at least 6 years at the school, not back this year;
      per level E, Q = ⌈0.10 · E⌉ teachers rotate in N = ⌈Q / 2⌉ pairs.
   c. *Backbone moves with a backbone minimum.* T = 100 · ΣB / ΣP over the level's sections
      (B backbone teachers teaching there now). A section gives at most ⌊B − T·P/100⌋ eligible
      backbone teachers (not PE/arts) and takes at most ⌊T·P/100 − B⌋ (the target is the
      receiver's ceiling: `exchange_to_minimum` is off), each move paired with a non-backbone
      teacher (not PE/arts; eligible ones first) coming back. One move at a time: the sender
      furthest above (town and urban non-weak sections first) sends to the receiver furthest
      below (rural or weak sections first), values re-evaluated after each move; no sender
      falls below T, no receiver rises above it.
   d. *Backbone share:* while backbone teachers are fewer than 20% of the 2N rotating, eligible
      backbone teachers swap with backbone teachers (the backbone teachers of sections whose
      posts hold at least one more than T asks go last).
   e. *Like-for-like swaps* fill the remaining pairs: non-backbone for non-backbone, then backbone
      for backbone, PE/arts only with PE/arts; town-and-urban non-weak sections with rural or
      weak ones first, the rest across two different sections.
   f. *Staggered terms:* each new pair returns in the year (1–3 ahead) with the fewest of the
      level's teachers away, the longest on ties.

Outputs per year: retired, left, drift, hired, exchanged (both members of every pair), returned,
stayed; teachers at start and end (start + hired − retired − left = end); backbone teachers by
the section where they teach, from which the **backbone CV** per level is balance_sim's own
enrolment-weighted CV (`balance_sim.measures.cv.weighted_cv`) of backbone teachers per 100 pupils
over the sections quality-2017 counts (open, with pupils, teaching points of 50 pupils or more).

The three versions
------------------

(a) balance_sim: `module.step(state, module.Context.of(policy, year), rng)` of `retirement`,
    `mobility`, `hiring` and `exchange` on the state `balance_sim.sim.initial.initial_state`
    builds, each with its own stream (`Streams(seed, replication)`).
(b) Mesa (`rotation_mesa.py`): a `mesa.Agent` per teacher deciding to retire, leave, seek a town
    post and (in pairs) stay at term end; a `mesa.Model` whose `step` places the seekers, hires
    to the norm and plans the exchange.
(c) pandas (`rotation_pandas.py`): a DataFrame of teachers, every decision in a per-row loop.

All three start replication r from the same base-year state (built once by `initial_state`;
(b) and (c) read it as plain tables) and draw their own random numbers, so they agree in
distribution, not draw for draw: the comparison is of means over replications with their Monte
Carlo standard errors.
"""
from __future__ import annotations

import argparse
import math
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # the sibling versions

from balance_sim import datasets  # noqa: E402
from balance_sim.measures.cv import weighted_cv  # noqa: E402
from balance_sim.sim import Streams, load_policy  # noqa: E402
from balance_sim.sim import exchange, hiring, ledger, mobility, quality, retirement  # noqa: E402
from balance_sim.sim.initial import initial_state  # noqa: E402
from balance_sim.sim.rules import _standard_rules  # noqa: E402
from balance_sim.sim.stack import stack  # noqa: E402
from balance_sim.sim.state import LEVELS, TEACHER_COUNTS  # noqa: E402

ROTATION = (retirement, mobility, hiring, exchange)
MOVES = ("retired", "left", "drift", "hired", "exchanged", "returned", "stayed")
KIND = {"retired": ledger.RETIRE, "left": ledger.LEAVE, "drift": ledger.DRIFT, "hired": ledger.HIRE,
        "exchanged": ledger.EXCHANGE_OUT, "returned": ledger.EXCHANGE_RETURN, "stayed": ledger.EXCHANGE_STAY}
BACKBONE = TEACHER_COUNTS.index("backbone_teachers")
VERSIONS = ("balance_sim", "mesa", "pandas")
EXTRA = ("eligible", "backbone_sent")  # recorded besides the moves: exchange-eligible, backbone teachers sent
SEED = 2026
CLOCK = {"wall": time.perf_counter, "cpu": time.process_time}
clock = time.perf_counter


# --- the shared start: policy, base-year state, plain tables ---------------------------------

def rotation_policy():
    """The default policy, checked to be the rotation model of the module docstring."""
    policy = load_policy()
    t = policy.teachers
    assert not t.pool_rebalancing and not t.itinerant_pe_art.enabled
    assert t.hire_by_subject and not t.exchange_to_minimum
    return policy


def start_state(county, policy, years: int, replication: int, seed: int = SEED):
    """The base-year state of replication r (balance_sim's own `initial_state`)."""
    return initial_state(county, policy, Streams(seed, replication), years)


def sections_table(state) -> pd.DataFrame:
    """One row per section (index 0 … S−1), what the rotation reads of it."""
    s = state.schools
    counted = _standard_rules("quality-2017").counts(s.open, state.pupils, s.teaching_point)
    return pd.DataFrame({
        "level": s.level.astype(int), "location": s.location.astype(int), "rural": s.rural, "weak": s.weak,
        "open": s.open, "teaching_point": s.teaching_point, "pupils": state.pupils.astype(float),
        "norm": state.norm.astype(int), "quality": s.quality.astype(float), "counted": counted,
    })


def teachers_table(state) -> pd.DataFrame:
    """One row per serving teacher of the base year (index: teacher number)."""
    t = state.teachers
    slots = np.flatnonzero(t.active[: t.n])
    assert (t.exchange_left[slots] == 0).all() and (t.school[slots] == t.post[slots]).all()
    return pd.DataFrame({
        "school": t.school[slots].astype(int), "post": t.post[slots].astype(int), "age": t.age[slots].astype(int),
        "female": t.female[slots].astype(bool), "backbone": t.backbone[slots] > 0,
        "pe_art": t.pe_art[slots].astype(bool), "years": t.years_at_school[slots].astype(int),
        "exchange_left": np.zeros(len(slots), int), "partner": np.full(len(slots), -1),
    }, index=pd.RangeIndex(len(slots)))


def year_parameters(policy, year: int) -> dict:
    """The model's parameters in force in `year`, as plain numbers (read from the policy)."""
    t = policy.teachers
    factor = math.exp(-t.allowance_effect_per_1000 * t.hardship_allowance_yuan_month.at(year) / 1000.0)
    return {
        "retirement_age": (int(t.retirement_age.male.at(year)), int(t.retirement_age.female.at(year))),
        "attrition": (t.attrition_rate.urban, t.attrition_rate.town, t.attrition_rate.rural * factor),
        "drift_rate": t.drift_rate * factor, "drift_backbone_factor": t.drift_backbone_factor,
        "max_hires_share": t.max_hires_share, "hire_age": t.new_teacher_age,
        "female_share": t.new_teacher_female_share, "pe_art_minimum": tuple(float(m) for m in hiring.pe_art_minimum()),
        "exchange_rate": float(t.exchange_rate.at(year)), "min_years": int(t.exchange_min_years),
        "backbone_share": float(t.backbone_share_min.at(year)), "term": int(t.exchange_term_years),
        "stay_probability": float(t.exchange_stay_probability),
    }


def backbone_cv(backbone: np.ndarray, sections: pd.DataFrame) -> tuple[float, float]:
    """balance_sim's enrolment-weighted CV of backbone teachers per 100 pupils, per level, over
    the sections quality-2017 counts; `backbone`: backbone teachers teaching at each section."""
    counted = sections["counted"].to_numpy()
    pupils = sections["pupils"].to_numpy()
    level = sections["level"].to_numpy()
    per_100 = np.where(counted, 100.0 * backbone / np.where(counted, pupils, 1.0), np.nan)
    return tuple(weighted_cv(per_100[counted & (level == lv)], pupils[counted & (level == lv)])
                 for lv in range(len(LEVELS)))


# --- (a) balance_sim's own rotation ------------------------------------------------------------

def draws(streams: Streams, module, year: int):
    """The mechanism's random numbers of the year, as the engine's year loop hands them over
    (`Streams.draws`; a plain generator from engines before it)."""
    name = module.__name__.rsplit(".", 1)[1]
    return streams.draws(name, year) if hasattr(streams, "draws") else streams.generator(name, year)


def run_balance_sim(state, policy, years: int, streams: Streams) -> list[dict]:
    """The rotation with balance_sim's mechanism modules; one record per year (timed: the steps)."""
    records = []
    t = state.teachers
    for _ in range(years):
        start = int(t.active[: t.n].sum())
        tick = clock()
        state.year += 1
        rows = []
        for module in ROTATION:
            rows += module.step(state, module.Context.of(policy, state.year), draws(streams, module, state.year))
        seconds = clock() - tick
        t = state.teachers
        counts = {name: sum(r.rows.shape[1] for r in rows if r.kind == kind) for name, kind in KIND.items()}
        here, _ = quality.teacher_counts(state, policy.teachers.training_cycle_years)
        records.append({"year": state.year, "seconds": seconds, "teachers_start": start,
                        "teachers_end": int(t.active[: t.n].sum()), **counts,
                        **dict(zip(EXTRA, exchange_counts(state))),
                        "backbone": here[:, BACKBONE].copy()})
    return records


def run_side_by_side(county, policy, years: int, replications: int, seed: int = SEED) -> tuple[float, list]:
    """Replications 0 … R−1 of (a) in one state, standing side by side as `simulate` runs a
    county's replications (one_state.run_replications): (seconds per replication and year of
    the steps, each replication's backbone teachers by section in the last year). Each
    replication draws from its own streams, so it ends where its run alone ends."""
    state = stack([start_state(county, policy, years, r, seed) for r in range(replications)])
    streams = Streams(seed, counties=(0,) * replications, replications=tuple(range(replications)))
    seconds = 0.0
    for _ in range(years):
        tick = clock()
        state.year += 1
        for module in ROTATION:
            module.step(state, module.Context.of(policy, state.year), draws(streams, module, state.year))
        seconds += clock() - tick
    here, _ = quality.teacher_counts(state, policy.teachers.training_cycle_years)
    return seconds / years / replications, np.split(here[:, BACKBONE], replications)


def exchange_counts(state) -> tuple[int, int]:
    """(eligible, backbone teachers sent) of the year's exchange, of the state's one county."""
    eligible, _, backbone_sent = (int(v) for v in np.asarray(state.exchange_counts).reshape(-1, 3)[0])
    return eligible, backbone_sent


# --- running and comparing ---------------------------------------------------------------------

def version_seed(seed: int, replication: int, version: str) -> int:
    """The seed of replication r of version (b) or (c): its own numbers, not balance_sim's."""
    key = (replication, VERSIONS.index(version))
    return int(np.random.SeedSequence(seed, spawn_key=key).generate_state(1)[0])


def run_version(version: str, county, policy, years: int, replication: int, seed: int = SEED) -> tuple[list, float]:
    """(records per year, seconds of setup) of one replication of one version."""
    state = start_state(county, policy, years, replication, seed)
    tick = clock()
    if version == "balance_sim":
        return run_balance_sim(state, policy, years, Streams(seed, replication)), 0.0
    sections, teachers = sections_table(state), teachers_table(state)
    parameters = [year_parameters(policy, state.year + k) for k in range(1, years + 1)]
    if version == "mesa":
        import rotation_mesa

        model = rotation_mesa.RotationModel(sections, teachers, state.year, rng=version_seed(seed, replication, version))
    else:
        import rotation_pandas

        model = rotation_pandas.RotationTable(sections, teachers, state.year, seed=version_seed(seed, replication, version))
    setup = clock() - tick
    records = []
    for p in parameters:
        tick = clock()
        model.step(p)
        seconds = clock() - tick
        records.append({**model.record(), "seconds": seconds})
    return records, setup


@dataclass
class Summary:
    """Per replication and year: the backbone CV per level and the moves."""

    cv: list[np.ndarray] = field(default_factory=list)  # per replication: (years × 2)
    moves: list[dict] = field(default_factory=list)  # per replication: name → (years,)
    seconds_per_year: list[float] = field(default_factory=list)
    setup: list[float] = field(default_factory=list)
    years: int = 0

    def add(self, records: list[dict], setup: float, sections: pd.DataFrame) -> None:
        for r in records:
            assert r["teachers_start"] + r["hired"] - r["retired"] - r["left"] == r["teachers_end"], r
        self.cv.append(np.array([backbone_cv(r["backbone"], sections) for r in records]))
        self.moves.append({k: np.array([r[k] for r in records], float) for k in MOVES + EXTRA})
        self.seconds_per_year.append(statistics.fmean(r["seconds"] for r in records))
        self.setup.append(setup)
        self.years = len(records)

    @property
    def n(self) -> int:
        return len(self.cv)

    def statistic(self, name: str, years: int) -> list[float]:
        """Per replication: the backbone CV of year `years` (cv_<level>), or the mean of a move
        over years 1 … `years`."""
        if name.startswith("cv_"):
            return [float(cv[years - 1, LEVELS.index(name[3:])]) for cv in self.cv]
        return [float(m[name][:years].mean()) for m in self.moves]


def mean_se(values: list[float]) -> tuple[float, float]:
    """Mean and its Monte Carlo standard error (NaN with one value)."""
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values)) if len(values) > 1 else float("nan")
    return mean, se


STATISTICS = ("cv_primary", "cv_junior") + MOVES + EXTRA


def compare(label: str, county, policy, years: dict, replications: dict, seed: int = SEED) -> dict:
    """Every version's replications on one county; prints and returns the summaries."""
    state = start_state(county, policy, 1, 0, seed)
    sections = sections_table(state)
    base = backbone_cv(quality.teacher_counts(state, policy.teachers.training_cycle_years)[0][:, BACKBONE], sections)
    n_teachers = int(state.teachers.active[: state.teachers.n].sum())
    print(f"\n== {label}: {len(sections)} sections, {n_teachers} teachers; base-year backbone CV "
          f"primary {base[0]:.4f}, junior {base[1]:.4f}", flush=True)
    out, last_backbone = {}, []
    for version in VERSIONS:
        summary = Summary()
        tick = clock()
        for r in range(replications[version]):
            records, setup = run_version(version, county, policy, years[version], r, seed)
            summary.add(records, setup, sections)
            if version == "balance_sim":
                last_backbone.append(records[-1]["backbone"])
        out[version] = summary
        print(f"  {version:12s} {summary.n:3d} replications x {summary.years:2d} years: "
              f"{1000 * statistics.median(summary.seconds_per_year):9.2f} ms a year (median of replications), "
              f"setup {1000 * statistics.median(summary.setup):8.1f} ms; {clock() - tick:7.1f} s in all",
              flush=True)
    side_by_side, backbone = run_side_by_side(county, policy, years["balance_sim"], replications["balance_sim"], seed)
    same = all(np.array_equal(a, b) for a, b in zip(backbone, last_backbone, strict=True))
    print(f"  balance_sim, the {replications['balance_sim']} replications side by side in one state: "
          f"{1000 * side_by_side:.2f} ms a replication-year; each replication ends as alone: {same}", flush=True)
    report(out, side_by_side)
    return out


def report(out: dict, side_by_side: float | None = None) -> dict:
    """Prints the speeds and the agreement table; returns {statistic: {version: (mean, se)}}.
    `side_by_side`: balance_sim's seconds per replication-year with its replications in one state."""
    per_year = {v: statistics.median(s.seconds_per_year) for v, s in out.items()}
    print("  speed: " + ", ".join(f"{v} {1000 * t:.2f} ms/year" for v, t in per_year.items())
          + f"; balance_sim is {per_year['mesa'] / per_year['balance_sim']:.0f}x Mesa, "
          f"{per_year['pandas'] / per_year['balance_sim']:.0f}x pandas")
    if side_by_side:
        print(f"  replications side by side: {1000 * side_by_side:.2f} ms a replication-year, "
              f"{per_year['mesa'] / side_by_side:.0f}x Mesa, {per_year['pandas'] / side_by_side:.0f}x pandas")
    years = min(s.years for s in out.values())
    print(f"  agreement over the first {years} years (CV: year {years}; moves: mean a year): "
          "mean +- MC s.e.; z = difference from balance_sim / its s.e.")
    print(f"  {'statistic':14s}" + "".join(f"{v + f' (R={s.n})':>24s}" for v, s in out.items())
          + "".join(f"{'z ' + v:>10s}" for v in out if v != "balance_sim"))
    table = {}
    for name in STATISTICS:
        stats = {v: mean_se(s.statistic(name, years)) for v, s in out.items()}
        zs = []
        for v in out:
            if v == "balance_sim":
                continue
            diff = stats[v][0] - stats["balance_sim"][0]
            se = math.hypot(stats[v][1], stats["balance_sim"][1])
            zs.append(f"{diff / se:10.2f}" if se > 0 else f"{'exact' if diff == 0 else 'n/a':>10s}")
        print(f"  {name:14s}" + "".join(f"{m:14.4f} +- {e:6.4f}" for m, e in stats.values()) + "".join(zs))
        table[name] = stats
    return table


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a smoke run: 3 replications of 5 years on the demo; at 100k 3 of balance_sim, "
                             "1 of Mesa and of pandas, 2 years")
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--replications", type=int, default=30, help="replications of every version on the demo")
    parser.add_argument("--large-replications", type=int, default=30, help="balance_sim's replications at 100k")
    parser.add_argument("--large-mesa-replications", type=int, default=10, help="Mesa's replications at 100k")
    parser.add_argument("--large-pandas-replications", type=int, default=3, help="pandas' replications at 100k")
    parser.add_argument("--large-years", type=int, default=None,
                        help="Mesa's and pandas' years at 100k (default: --years)")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--clock", choices=tuple(CLOCK), default="wall",
                        help="wall-clock time (default) or the process's CPU time")
    parser.add_argument("--only", choices=("demo", "100k"), help="one county only")
    args = parser.parse_args()
    if args.quick:
        args.years, args.replications, args.large_years = 5, 3, 2
        args.large_replications, args.large_mesa_replications, args.large_pandas_replications = 3, 1, 1
    global clock
    clock = CLOCK[args.clock]
    policy = rotation_policy()
    print(f"{args.clock} clock; seed {args.seed}")
    if args.only != "100k":
        compare("demo county", datasets.demo_county(), policy, dict.fromkeys(VERSIONS, args.years),
                dict.fromkeys(VERSIONS, args.replications), args.seed)
    if args.only != "demo":
        county = datasets.synthetic_county(seed=1, n_primary=1835, n_junior=550, n_teaching_points=157, n_nine_year=79)
        slow_years = args.years if args.large_years is None else args.large_years
        years = {"balance_sim": args.years, "mesa": slow_years, "pandas": slow_years}
        reps = {"balance_sim": args.large_replications, "mesa": args.large_mesa_replications,
                "pandas": args.large_pandas_replications}
        compare("synthetic county, 100k teachers", county, policy, years, reps, args.seed)


if __name__ == "__main__":
    main()
