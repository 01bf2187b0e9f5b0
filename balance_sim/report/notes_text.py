"""The loader's notes and the data summary in the reader's language. Notes are written in
English where they arise (io, datasets, sim); a report in Chinese shows each note it knows in
Chinese and any other with the prefix 说明 and its English text, so nothing is hidden."""
from __future__ import annotations

import re

from balance_sim.report.labels import column_label

# (pattern of an English note, its Chinese template with the pattern's groups)
NOTE_PATTERNS = (
    (r"synthetic data \(balance_sim\.datasets\), calibrated to national statistics; not a real county",
     "合成数据（balance_sim.datasets），按全国统计数据校准，并非真实的县"),
    (r"whole-school (?P<items>.+) of (?P<n>\d+) combined schools split across their sections by pupil weights "
     r"\(primary 1, junior 1\.1, senior 1\.32; (?P<source>\S+)\)",
     "{n} 所一贯制学校的全校设施（{items}）按学生权重（小学 1、初中 1.1、高中 1.32）分到各学段（{source}）"),
    (r"no teacher roster: one consistent with the school totals will be synthesised",
     "未提供教师名册：将按各校教师总数合成一份与之一致的名册"),
    (r"enrolment by grade not given: each section's pupils are spread evenly over its grades",
     "未提供分年级在校生数：各学段学生平均分到各年级"),
    (r"(?P<table>[^:]+): columns not in the data dictionary, ignored: (?P<columns>.+)",
     "{table}：以下列不在数据字典中，已忽略：{columns}"),
    (r"(?P<table>[^:]+): (?P<header>.+) converted to (?P<column>\S+) \(× (?P<scale>[\d,]+)\)",
     "{table}：{header} 已换算为 {column}（× {scale}）"),
)
_COMPILED = tuple((re.compile(f"^{pattern}$"), template) for pattern, template in NOTE_PATTERNS)
LOCATION_ZH = {"urban": "城区", "town": "镇区", "rural": "乡村"}
LEVEL_ZH = {"primary": "小学", "junior": "初中"}


def note_text(note: str, language: str = "en") -> str:
    if language != "zh":
        return note
    for pattern, template in _COMPILED:
        match = pattern.match(note)
        if match:
            fields = match.groupdict()
            for name in ("items", "columns"):  # column names read as the reader's column labels
                if name in fields:
                    fields[name] = "、".join(column_label(c.strip(), "zh") for c in fields[name].split(","))
            return template.format(**fields)
    return f"（英文说明）{note}"


def county_summary(county, language: str = "en") -> str:
    """What was loaded, a line each: source, counties, sections by level and location, roster,
    budget years, then the notes."""
    if language != "zh":
        return county.summary()
    s = county.schools
    lines = [f"数据来源：{county.source}", f"县（市、区）：{'、'.join(county.counties)}"]
    for level in county.levels:
        part = s[s["level"] == level]
        by_location = part.groupby("location", observed=True).size()
        where = "，".join(f"{LOCATION_ZH[loc]} {int(by_location.get(loc, 0))}" for loc in LOCATION_ZH)
        lines.append(f"{LEVEL_ZH.get(level, level)}：{len(part)} 所学校（学段）（{where}），在校生 {int(part['students'].sum()):,} 人，"
                     f"专任教师 {int(part['teachers'].sum()):,} 人")
    if county.years:
        lines.append(f"年份：{'、'.join(map(str, county.years))}")
    teachers = county.teachers
    if teachers is not None:
        lines.append(f"教师名册：{len(teachers):,} 人")
    budget = county.budget
    if budget is not None:
        lines.append(f"经费：{len(budget)} 年（{budget['year'].min()}—{budget['year'].max()}）")
    lines.extend(f"说明：{note_text(note, 'zh')}" for note in county.notes)
    return "\n".join(lines)
