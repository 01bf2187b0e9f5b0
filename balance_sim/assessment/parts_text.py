"""The four parts of quality-2017 as plain text for a terminal: per part its status, per item a
mark (✓ pass, ✗ fail, ? not assessable), value, rule and the data lacking, and for a CV item
whose CV is marginal (less than 0.005 from its ceiling) a note saying so; then the weak links
(教督〔2017〕6号; docs/sources.md#quality-2017-checklist)."""
from __future__ import annotations

import math
import re

import pandas as pd

from balance_sim.assessment.result import Assessment
from balance_sim.checklist.items import checklist
from balance_sim.standards.rules import MARGINAL_NOTE

SHARE_RULE = re.compile(r"^[≥≤<] [\d.]+%$")  # a rule on a share, e.g. "≥ 95%"
MARKS = {"pass": "✓", "fail": "✗", "not_assessable": "?"}
RESOURCES = ("资源配置", "Resource allocation")


def show_value(value, rule: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    if rule == "yes":
        return "yes" if value else "no"
    if SHARE_RULE.match(rule):
        return f"{value:.1%}"
    return f"{value:,.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def part_names(assessment: Assessment) -> dict[str, tuple[str, str]]:
    names = {"resources": RESOURCES}
    names.update({part.name: (part.zh, part.en) for part in checklist(assessment.standard)})
    return names


def marginal_cv_items(assessment: Assessment, county: str) -> set[str]:
    """Keys of the resource items (as the parts table names them: `primary.<key>.cv`,
    `primary.composite_cv`) whose CV is marginal in `county`."""
    indicators = assessment.indicators
    rows = indicators[(indicators["county"] == county) & indicators["marginal"].astype(bool)]
    keys = {f"{row.level}.{row.key}.cv" for row in rows.itertuples(index=False)}
    levels = assessment.levels[assessment.levels["county"] == county]
    flagged = levels["composite_cv_marginal"].fillna(False).astype(bool)
    return keys | {f"{level}.composite_cv" for level in levels.loc[flagged, "level"]}


def format_parts(assessment: Assessment, county: str) -> list[str]:
    """Lines for one county: the four-part verdict, each part and item, the weak links."""
    parts = assessment.parts[assessment.parts["county"] == county]
    status = assessment.part_status
    status = dict(zip(status.loc[status["county"] == county, "part"], status.loc[status["county"] == county, "status"]))
    names = part_names(assessment)
    marginal = marginal_cv_items(assessment, county)
    verdict = assessment.certification[county]
    lines = [f"== {county}: four parts of {assessment.standard.name}: {verdict.upper()} "
             "(certified only when all four parts pass) =="]
    for part, items in parts.groupby("part", sort=False):
        zh, en = names.get(part, (part, part))
        lines.append(f"-- {zh} {en}: {status[part].upper()}")
        width = max(len(k) for k in items["key"])
        for item in items.itertuples(index=False):
            text = f"  {MARKS[item.status]} {item.key:<{width}}  {show_value(item.value, item.rule):>8}  {item.rule}"
            if item.status == "not_assessable":
                text += f"  [missing: {', '.join(item.missing) or item.detail}]"
            if item.key in marginal:
                text += f"  — {MARGINAL_NOTE}"
            lines.append(text.rstrip())
    unknown = parts[parts["status"] == "not_assessable"]
    if not unknown.empty:
        lines.append(f"not assessable for lack of data ({len(unknown)}): {', '.join(unknown['key'])}")
    links = assessment.weak_links
    links = links[links["county"] == county] if not links.empty else links
    if not links.empty:
        lines.append("weak links (failing items, farthest from the rule first):")
        for link in links.itertuples(index=False):
            note = f" — {MARGINAL_NOTE}" if link.key in marginal else ""
            lines.append(f"  {link.rank}. {link.key}: {show_value(link.value, link.rule)} against {link.rule} "
                         f"(gap {link.gap:.0%}){note}")
    lines.append("")
    return lines


def parts_frame_for(assessment: Assessment) -> pd.DataFrame:
    """The parts table as the CSV and report layers show it (missing joined as text)."""
    frame = assessment.parts.copy()
    frame["missing"] = frame["missing"].map(lambda m: "; ".join(m))
    return frame
