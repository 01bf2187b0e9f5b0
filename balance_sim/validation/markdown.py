"""`docs/validation.md`: the lever table as Markdown a reader can follow without running it."""
from __future__ import annotations

import numpy as np

from balance_sim.validation.run import CAPITAL, HORIZONS, MILLION, RECURRENT, LeverEffects

LEVEL_WORDS = {"primary": "primary", "junior": "junior"}


def _interval(row) -> str:
    if not np.isfinite(row["low"]):
        return f"{row['difference']:+.3f}"
    mark = "" if row["detectable"] else " (n.d.)"
    return f"{row['difference']:+.3f} [{row['low']:+.3f}, {row['high']:+.3f}]{mark}"


def _money(effects: LeverEffects, names) -> str:
    rows = effects.costs[effects.costs["key"].isin(names)]
    return f"{rows['difference'].sum() / MILLION:+,.1f}"


def _items_moved(effects: LeverEffects) -> str:
    moved = effects.items[(effects.items["scenario"] - effects.items["baseline"]).abs() >= 0.1]
    return "; ".join(f"{r.key} {r.baseline:.0%} → {r.scenario:.0%}" for r in moved.itertuples()) or "—"


def lever_section(effects: list[LeverEffects]) -> list[str]:
    lever = effects[0].lever
    years = sorted(effects[0].cvs["year"].unique())
    head = " | ".join(f"Δ CV year {h} [90%]" for h in HORIZONS[: len(years)])
    lines = [f"## {lever.name}", "", lever.description + ".", "",
             f"| setting | level | indicator | {head} |", "|---|---|---|" + "---|" * len(years)]
    for e in effects:
        cvs = e.cvs[e.cvs["key"].isin(lever.keys)]
        for (level, key), rows in cvs.groupby(["level", "key"], sort=False):
            by_year = rows.set_index("year")
            cells = " | ".join(_interval(by_year.loc[y]) for y in years)
            lines.append(f"| {lever.label(e.setting)} | {LEVEL_WORDS.get(level, level)} | {key} | {cells} |")
    lines += ["", "| setting | Δ recurrent, M yuan | Δ capital, M yuan | checklist items moved (final year, pass share) "
              "| certified by the last year (share of replications) |", "|---|---|---|---|---|"]
    for e in effects:
        base, scenario = e.certified
        lines.append(f"| {lever.label(e.setting)} | {_money(e, RECURRENT)} | {_money(e, CAPITAL)} | {_items_moved(e)} "
                     f"| {base:.0%} → {scenario:.0%} |")
    return lines + [""]


def document(effects: list[LeverEffects], seed: int, replications: int, years: int, extra: list[str] = ()) -> str:
    by_lever: dict[str, list[LeverEffects]] = {}
    for e in effects:
        by_lever.setdefault(e.lever.name, []).append(e)
    lines = [
        "# Validation: what each lever does on the demo county",
        "",
        "Written by `python -m balance_sim.validation`; do not edit by hand. Each setting is run against the "
        f"default policy on the demo county for {years} years with seed {seed} and {replications} replications; "
        "replication r of both runs draws the same random numbers for every mechanism (common random numbers), "
        "so the difference of each replication is the policy's effect. Δ CV is the mean paired difference "
        "scenario − baseline of the enrolment-weighted CV (quality-2017 indicators; negative = smaller gaps), "
        "with its 90% interval (Student's t over replications); **(n.d.)** marks no detectable effect (the "
        "interval holds zero). Costs are the paired differences of the funding ledger's totals over the "
        "simulated years: recurrent = other + public funds + salaries + allowance + itinerant teachers + "
        "training (other is the same under every policy); capital = replacement + classrooms built + new "
        "funds spent.",
        "",
    ]
    for group in by_lever.values():
        lines += lever_section(group)
    return "\n".join([*lines, *extra]) + "\n"
