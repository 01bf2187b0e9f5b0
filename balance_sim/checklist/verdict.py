"""The whole verdict of the 2017 method for each county: every item of the four parts with its
value, rule and status, each part's status, the county's certification (pass only when all four
parts pass) and the weak links (failing items ranked by how far they are from their rule).
Source: 教督〔2017〕6号 (docs/sources.md#quality-2017, docs/sources.md#quality-2017-checklist).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.checklist.data import ItemData
from balance_sim.checklist.items import PART_ORDER, checklist
from balance_sim.checklist.methods import METHODS
from balance_sim.checklist.outcome import FAIL, PASS, UNKNOWN, combine
from balance_sim.indicators import definitions
from balance_sim.standards import Standard

COLUMNS = ["county", "part", "clause", "key", "zh", "en", "value", "rule", "status", "missing", "detail", "gap"]
RESOURCES_ZH, RESOURCES_EN = "资源配置", "Resource allocation"


def item_rows(county: str, data: ItemData, standard: Standard) -> pd.DataFrame:
    """One row per item of the government, quality and recognition parts."""
    rows = []
    for part in checklist(standard):
        for item in part.items:
            outcome = METHODS[item.method].evaluate(item, data)
            rows.append({
                "county": county, "part": part.name, "clause": item.clause, "key": item.key,
                "zh": item.zh, "en": item.en, "value": outcome.value, "rule": outcome.rule,
                "status": outcome.status, "missing": outcome.missing, "detail": outcome.detail,
                "gap": outcome.gap,
            })
    return pd.DataFrame(rows, columns=COLUMNS)


def resource_rows(county: str, levels: pd.DataFrame, indicators: pd.DataFrame, standard: Standard) -> pd.DataFrame:
    """The resource part as items: each level's CVs against their ceiling and the per-school rule."""
    res, rows = standard.resources, []
    base = {"county": county, "part": "resources", "missing": ()}
    for level in levels.itertuples(index=False):
        block = indicators[indicators["level"] == level.level]
        if res.cv_rule == "each":
            for ind in block.itertuples(index=False):
                spec = definitions()[ind.key]
                known = np.isfinite(ind.cv)
                status = (PASS if ind.cv_pass else FAIL) if known else UNKNOWN
                rows.append({**base, "clause": 1, "key": f"{level.level}.{ind.key}.cv",
                             "zh": f"{spec.zh}差异系数", "en": f"CV of {spec.en.lower()}",
                             "value": float(ind.cv) if known else None, "rule": f"≤ {ind.cv_max:.2f}",
                             "status": status, "missing": () if known else (f"schools.{spec.numerator}",),
                             "detail": "", "gap": (ind.cv - ind.cv_max) / ind.cv_max if status == FAIL else None})
        else:
            cv_max = float(block["cv_max"].iloc[0])
            known = np.isfinite(level.composite_cv)
            ok = known and level.composite_cv <= cv_max
            rows.append({**base, "clause": 1, "key": f"{level.level}.composite_cv", "zh": "综合差异系数",
                         "en": "comprehensive CV", "value": float(level.composite_cv) if known else None,
                         "rule": f"≤ {cv_max:.2f}", "status": PASS if ok else (FAIL if known else UNKNOWN),
                         "detail": "", "gap": (level.composite_cv - cv_max) / cv_max if known and not ok else None})
        if res.school_rule is not None and not pd.isna(level.schools_meeting_standard):
            meeting, total = int(level.schools_meeting_standard), int(level.schools)
            rule = res.school_rule
            rows.append({**base, "clause": 2, "key": f"{level.level}.schools_meeting_standard",
                         "zh": "达到资源配置标准的学校数", "en": "schools meeting the per-school rule",
                         "value": float(meeting),
                         "rule": f"all {total}: ≥ {rule.min_met} of {len(res.indicators)} minimums, the rest ≥ {rule.floor_ratio:.0%}",
                         "status": PASS if meeting == total else FAIL,
                         "detail": f"{meeting} of {total} school sections",
                         "gap": (total - meeting) / total if meeting < total else None})
    return pd.DataFrame(rows, columns=COLUMNS)


def part_status(parts: pd.DataFrame) -> pd.DataFrame:
    """county, part, status (fail if any item fails; else not_assessable if any item is; else pass)."""
    if parts.empty:
        return pd.DataFrame(columns=["county", "part", "status"])
    out = parts.groupby(["county", "part"], sort=False)["status"].agg(combine).reset_index()
    out["order"] = out["part"].map(PART_ORDER.index)
    return out.sort_values(["county", "order"], kind="stable").drop(columns="order").reset_index(drop=True)


def certification(parts: pd.DataFrame) -> dict[str, str]:
    """County → "pass" only when every one of the four parts passes, else "fail"."""
    status = part_status(parts)
    out = {}
    for county, group in status.groupby("county", sort=False):
        complete = set(group["part"]) == set(PART_ORDER)
        out[county] = PASS if complete and (group["status"] == PASS).all() else FAIL
    return out


def weak_links(parts: pd.DataFrame) -> pd.DataFrame:
    """Failing items, farthest from their rule first (gap: shortfall as a share of the threshold,
    or breaching schools as a share of the schools), with their rank within the county."""
    failing = parts[parts["status"] == FAIL].copy()
    failing["gap"] = pd.to_numeric(failing["gap"], errors="coerce").fillna(1.0)
    failing = failing.sort_values(["county", "gap"], ascending=[True, False], kind="stable")
    failing["rank"] = failing.groupby("county").cumcount() + 1
    return failing[["county", "rank", "part", "key", "en", "value", "rule", "gap", "detail"]].reset_index(drop=True)


def not_assessable(parts: pd.DataFrame) -> pd.DataFrame:
    """Items that could not be judged, with the data each lacks."""
    return parts.loc[parts["status"] == UNKNOWN, ["county", "part", "key", "en", "missing", "detail"]].reset_index(drop=True)
