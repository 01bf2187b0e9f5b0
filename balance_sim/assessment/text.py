"""An Assessment as plain text for a terminal: one block per county and level, indicator names
in Chinese and English, columns aligned for wide (CJK) characters. A marginal CV (unrounded, less
than 0.005 from its ceiling; `balance_sim.standards.rules.cv_marginal`) is marked ≈ in the
"CV ok" column ("yes ≈", "NO ≈") and said in words under the table."""
from __future__ import annotations

import math
import unicodedata

from balance_sim.assessment.parts_text import format_parts
from balance_sim.assessment.result import Assessment
from balance_sim.indicators import definitions
from balance_sim.standards.rules import MARGINAL_NOTE

LEVEL_NAMES = {"primary": "小学 primary", "junior": "初中 junior"}
MARGINAL_MARK = "≈"


def display_width(text: str) -> int:
    """Terminal columns taken by `text` (wide and full-width characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(width - display_width(text), 0)
    return fill + text if right else text + fill


def _fmt(value, digits: int = 3) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "—"
    return f"{value:,.{digits}f}" if isinstance(value, float) else str(value)


def cv_against_ceiling(cv, cv_max, marginal: bool) -> str:
    """E.g. "0.502 against 0.50 — marginal: within rounding of the ceiling" (no note when not
    marginal): the CV line of the text outputs."""
    text = f"{_fmt(cv)} against {_fmt(cv_max, 2)}"
    return f"{text} — {MARGINAL_NOTE}" if marginal else text


def format_table(assessment: Assessment) -> str:
    """The whole assessment as text (what `balance-sim assess --format table` prints)."""
    data = assessment.to_dict()
    std = assessment.standard
    lines = [f"{std.name}: {std.title_zh}", f"  {std.title_en}", f"  source: {std.source}"]
    decimals = std.resources.cv_decimals
    if decimals is not None:
        lines.append(f"  CVs are rounded to {decimals} decimals before the comparison with the ceiling"
                     + (f" ({std.resources.cv_decimals_source})" if std.resources.cv_decimals_source else ""))
    lines.append("")
    header = ["指标 indicator", "mean", "CV", "max", "CV ok", "below min"]
    for county in data["counties"]:
        lines.append(f"== {county['county']}: {county['verdict'].upper()} ==")
        for level in county["levels"]:
            lines.append(
                f"-- {LEVEL_NAMES.get(level['level'], level['level'])}: {level['schools']} schools, "
                f"{level['students']:,} pupils: {level['verdict'].upper()}"
            )
            rows, english, marginal = [header], [], []
            for ind in level["indicators"]:
                spec = definitions()[ind["key"]]
                rows.append([
                    spec.zh, _fmt(ind["mean"], 2), _fmt(ind["cv"]), _fmt(ind["cv_max"], 2),
                    ("yes" if ind["cv_pass"] else "NO") + (f" {MARGINAL_MARK}" if ind["marginal"] else ""),
                    _fmt(ind["schools_below_minimum"]),
                ])
                english.append(spec.en)
                if ind["marginal"]:
                    line = cv_against_ceiling(ind["cv"], ind["cv_max"], True)
                    marginal.append(f"  {MARGINAL_MARK} CV of {ind['key']}: {line}")
            widths = [max(display_width(r[i]) for r in rows) for i in range(len(header))]
            # The Chinese name leads the row; the English name follows on its own line, so the
            # table stays within about 80 columns.
            for row, name_en in zip(rows, [None] + english):
                cells = [_pad(row[0], widths[0])] + [_pad(c, w, right=True) for c, w in zip(row[1:], widths[1:])]
                lines.append("  " + "  ".join(cells).rstrip())
                if name_en:
                    lines.append(f"    {name_en}")
            lines.extend(marginal)
            if level["composite_cv"] is not None:
                ceiling = std.resources.cv_max[level["level"]]
                lines.append("  综合差异系数 comprehensive CV: "
                             + cv_against_ceiling(level["composite_cv"], ceiling, bool(level["composite_cv_marginal"])))
            if level["schools_meeting_standard"] is not None:
                lines.append(f"  schools meeting the per-school rule: {level['schools_meeting_standard']} of {level['schools']}")
            lines.extend(f"  ✗ {reason}" for reason in level["reasons"])
            lines.append("")
        if assessment.has_parts:
            lines.extend(format_parts(assessment, county["county"]))
    if assessment.not_assessed:
        lines.append("not assessed from school data: " + "; ".join(assessment.not_assessed))
    if not assessment.excluded.empty:
        lines.append(f"left out of the counts above: {len(assessment.excluded)} sections")
        lines.extend(f"  - {r.name} ({r.level}, {int(r.students)} pupils): {r.reason}"
                     for r in assessment.excluded.itertuples(index=False))
    return "\n".join(lines).rstrip() + "\n"
