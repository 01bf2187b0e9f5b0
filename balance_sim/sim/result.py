"""The result of a simulation: tidy tables, the years standards are first met, a summary for
summary.json, and percentile bands over replications."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from balance_sim.sim import tables
from balance_sim.sim.checklist_items import outside_model
from balance_sim.sim.policy import Policy, to_dict
from balance_sim.sim.rules import STANDARDS

# The standard whose certification also needs the checklist items the simulation models.
WHOLE_CHECKLIST = "quality-2017"

TEACHER_FLOWS = ("hired", "retired", "left")


BUILDERS = {"schools": tables.school_panel, "county": tables.county_table, "teacher_moves": tables.moves_table,
            "funding": tables.funding_table, "checklist": tables.checklist_table}


@dataclass
class SimulationResult:
    """Tables (all tidy, with `replication` and `county` columns), each built from the runs'
    arrays on first access:

    - `schools`: one row per replication × year × school section (pupils, classes, teachers by
      kind, areas, equipment, funds, quality, every indicator key);
    - `county`: one row per replication × year × level × (standard, key) × metric, long form
      (`level` is primary, junior, or all for county-wide figures such as yuan and teacher flows);
    - `teacher_moves`: every hire, retirement, exit and move;
    - `funding`: every allocation, per school and item, and the year's unspent yuan;
    - `checklist`: one row per replication × year × modelled quality-2017 checklist item (key,
      value, rule, status: pass / fail / not_assessable); `outside_model` names the others.
    The first row of each series is the base year, before any simulated year.
    """

    policy: Policy
    seed: int
    replications: int
    years: list[int]
    counties: list[str]
    notes: list[str] = field(default_factory=list)
    runs: list = field(default_factory=list, repr=False)  # (county, replication, model.Run)
    _frames: dict = field(default_factory=dict, repr=False)

    def _table(self, name: str) -> pd.DataFrame:
        if name not in self._frames:
            parts = [BUILDERS[name](run, county, replication) for county, replication, run in self.runs]
            self._frames[name] = parts[0] if len(parts) == 1 else pd.concat(parts, ignore_index=True)
        return self._frames[name]

    schools = property(lambda self: self._table("schools"), doc="year × school section panel")
    county = property(lambda self: self._table("county"), doc="county metrics, long form")
    teacher_moves = property(lambda self: self._table("teacher_moves"), doc="teacher-movement ledger")
    funding = property(lambda self: self._table("funding"), doc="funding ledger")
    checklist = property(lambda self: self._table("checklist"), doc="modelled checklist items per year")

    def write_parquet(self, folder, runs_per_chunk: int = 200) -> None:
        """Write the five tables to `folder`/<table>.parquet, built and written a chunk of runs at
        a time (one row group per chunk), so that a run of many counties never holds a whole
        table in memory; a table already built is written from memory."""
        for name in BUILDERS:
            path = Path(folder) / f"{name}.parquet"
            if name in self._frames:
                self._frames[name].to_parquet(path, index=False)
                continue
            writer = None
            try:
                for first in range(0, len(self.runs), runs_per_chunk):
                    chunk = self.runs[first:first + runs_per_chunk]
                    frame = pd.concat([BUILDERS[name](run, county, replication) for county, replication, run in chunk],
                                      ignore_index=True)
                    table = pa.Table.from_pandas(frame, preserve_index=False)
                    if writer is None:
                        writer = pq.ParquetWriter(path, table.schema)
                    writer.write_table(table.cast(writer.schema) if table.schema != writer.schema else table)
            finally:
                if writer is not None:
                    writer.close()

    def metric(self, metric: str, standard: str = "", level: str | None = None, key: str | None = None) -> pd.DataFrame:
        """Rows of one county metric (e.g. `metric("cv", "quality-2017", "primary")`)."""
        c = self.county
        mask = (c["metric"] == metric) & (c["standard"] == standard)
        if level is not None:
            mask &= c["level"] == level
        if key is not None:
            mask &= c["key"] == key
        return c[mask]

    @property
    def first_year_meeting(self) -> dict[str, int | None]:
        """Per standard: the first year (base year included) in which every level of every
        county passes (in at least half of the replications), or None. For quality-2017 every
        modelled checklist item must pass too (`first_year`)."""
        return {standard: self.first_year(standard) for standard in STANDARDS}

    @property
    def outside_model(self) -> list[str]:
        """Keys of the quality-2017 checklist items the simulation does not model."""
        return outside_model()

    def first_year(self, standard: str, modelled_items: bool = True) -> int | None:
        """The first year `standard` is met: its resource part passes at every level of every
        county and, for quality-2017 with `modelled_items`, every modelled checklist item passes
        (all in the same replication, in at least half of the replications)."""
        verdict = self.metric("verdict", standard).dropna(subset=["value"])
        if verdict.empty:
            return None
        passes = verdict.groupby(["replication", "year"])["value"].min()
        if modelled_items and standard == WHOLE_CHECKLIST:
            items = (self.checklist["status"] == "pass").groupby(
                [self.checklist["replication"], self.checklist["year"]]).all()
            passes = (passes * items.reindex(passes.index, fill_value=False)).astype(float)
        per_year = passes.groupby("year").mean()
        passing = per_year[per_year >= 0.5]
        return int(passing.index.min()) if len(passing) else None

    def _checklist_lists(self) -> dict:
        """Per modelled item, its status each year (first county): pass when it passes in at
        least half of the replications, else fail if it fails in any, else not_assessable."""
        rows = self.checklist[self.checklist["county"] == self.counties[0]]
        out = {}
        for key, item in rows.groupby("key", sort=False, observed=True):
            status = item["status"].astype(str)
            by_year = pd.DataFrame({"year": item["year"], "pass": status == "pass", "fail": status == "fail"})
            share = by_year.groupby("year").mean().reindex(self.years)
            out[str(key)] = ["pass" if p >= 0.5 else "fail" if f > 0 else "not_assessable"
                             for p, f in zip(share["pass"], share["fail"])]
        return out

    def _series(self, metric: str, standard: str = "", level: str = "all", key: str = "") -> pd.Series:
        rows = self.metric(metric, standard, level, key)
        # Counts and yuan: mean over replications and counties' sum; CVs: median over replications.
        by_year = rows.groupby(["replication", "year"])["value"].sum(min_count=1)
        return by_year.groupby("year").mean()

    def _cv_lists(self) -> dict:
        out: dict = {}
        cv = self.county[self.county["metric"] == "cv"]
        first = cv[cv["county"] == self.counties[0]]
        for (standard, level, key), rows in first.groupby(["standard", "level", "key"], sort=False):
            series = rows.groupby("year")["value"].median().reindex(self.years)
            out.setdefault(standard, {}).setdefault(level, {})[key] = [_clean(v) for v in series]
        return out

    def summary(self) -> dict:
        """Headline numbers (the content of summary.json); with several replications, counts
        and yuan are means and CVs medians over replications."""
        flows = {name: float(self._series(name).iloc[1:].sum()) for name in TEACHER_FLOWS}
        start = float(self._series("teachers_start").iloc[0])
        end = float(self._series("teachers_end").iloc[-1])
        funds = {name: float(self._series(name).iloc[1:].sum()) for name in ("available", "allocated", "unspent")}
        composite = self.metric("composite_cv", "basic-2012")
        composite = composite[composite["county"] == self.counties[0]]
        return {
            "years": list(self.years),
            "policy": _jsonable(to_dict(self.policy)),
            "seed": self.seed,
            "replications": self.replications,
            "counties": list(self.counties),
            "teachers": {"start": _count(start), **{k: _count(v) for k, v in flows.items()}, "end": _count(end)},
            "funds": {k: round(v, 2) for k, v in funds.items()},
            "cv": self._cv_lists(),
            "composite_cv": {
                "basic-2012": {
                    level: [_clean(v) for v in rows.groupby("year")["value"].median().reindex(self.years)]
                    for level, rows in composite.groupby("level", sort=False)
                }
            },
            "first_year_meeting": self.first_year_meeting,
            "checklist": {"modelled": self._checklist_lists(), "outside_model": self.outside_model},
            "notes": list(self.notes),
        }

    def bands(self, metric: str, percentiles=(5, 50, 95), standard: str | None = None) -> pd.DataFrame:
        """Percentiles over replications of a county metric (e.g. "cv") or of a school column
        (e.g. "quality"), per year and everything else that identifies a series."""
        if metric in self.schools.columns and metric not in set(self.county["metric"]):
            frame = self.schools[["replication", "county", "year", "school_id", "level", metric]].rename(columns={metric: "value"})
            keys = ["county", "year", "school_id", "level"]
        else:
            frame = self.county[self.county["metric"] == metric]
            if standard is not None:
                frame = frame[frame["standard"] == standard]
            if frame.empty:
                raise KeyError(f"no metric or school column called {metric!r}")
            keys = ["county", "year", "level", "standard", "key"]
        grouped = frame.groupby(keys, sort=False)["value"]
        out = pd.concat({f"p{p:g}": grouped.quantile(p / 100.0) for p in percentiles}, axis=1)
        return out.reset_index()


def _count(value: float):
    return int(round(value)) if float(value).is_integer() else round(float(value), 3)


def _clean(value) -> float | None:
    return None if value is None or not np.isfinite(value) else round(float(value), 6)


def _jsonable(tree):
    if isinstance(tree, dict):
        return {str(k): _jsonable(v) for k, v in tree.items()}
    return tree
