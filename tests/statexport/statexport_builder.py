"""Writes realistic education-statistics export workbooks (教育事业统计基层表) from a known county.

The county's canonical tables are written out the way the statistics system does: one workbook per
level, a table-code row and merged multi-row headers, teachers split by degree, title and subject,
indoor sports rooms inside the teaching area, equipment in 万元, a nine-year school in both the 小学
and the 初中 workbook with whole-school facilities in each, a branch campus with 是否计校数 = 0.
Importing the files must give back exactly the county.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
from openpyxl import Workbook

COUNTY = "示范县"
SHARED = ["teaching_area_m2", "sports_area_m2", "equipment_value_yuan", "books", "computers", "multimedia_classrooms"]
COUNTS = ["students", "classes", "teachers", "teachers_above_degree", "teachers_mid_senior_title",
          "backbone_teachers", "pe_art_teachers"]

# school_id, name, level, location, school_type, students, classes, teachers, above_degree,
# mid_senior_title, backbone, pe_art, then facilities (teaching m², sports m², equipment yuan,
# books, computers, multimedia rooms) for sections that report their own.
_SECTIONS = [
    ("2142000101", "城关第一小学", "primary", "urban", "regular", 1200, 26, 70, 66, 40, 8, 9, 5600.0, 9800.0, 2_650_000.0, 36000, 180, 30),
    ("2142000102", "镇中心小学", "primary", "town", "regular", 620, 14, 38, 35, 19, 3, 5, 2900.0, 6100.0, 1_310_000.0, 18700, 70, 14),
    ("2142000103", "李家村小学", "primary", "rural", "regular", 210, 9, 19, 17, 8, 1, 2, 1150.0, 2400.0, 452_500.0, 6500, 28, 8),
    ("2142000104", "王庄教学点", "primary", "rural", "teaching_point", 38, 3, 4, 3, 1, 0, 0, 190.0, 350.0, 61_000.0, 900, 4, 2),
    ("2142000105", "红旗九年一贯制学校", "primary", "rural", "nine_year", 166, 6, 14, 13, 6, 1, 2),
    ("2142000106", "县实验学校", "primary", "urban", "twelve_year", 540, 12, 33, 32, 20, 4, 4),
    ("2142000201", "城关中学", "junior", "urban", "regular", 1350, 27, 105, 98, 61, 12, 10, 7900.0, 14100.0, 4_120_000.0, 52000, 260, 32),
    ("2142000202", "镇初级中学", "junior", "town", "regular", 480, 10, 41, 36, 22, 3, 4, 2850.0, 5300.0, 1_205_000.0, 19800, 80, 12),
    ("2142000105", "红旗九年一贯制学校", "junior", "rural", "nine_year", 210, 6, 20, 17, 9, 2, 2),
    ("2142000106", "县实验学校", "junior", "urban", "twelve_year", 420, 9, 36, 35, 24, 5, 3),
    ("2142000203", "县第二中学", "junior", "urban", "complete_secondary", 700, 14, 58, 55, 33, 7, 5),
]
# Whole-school facilities of the combined schools, and their senior pupils (from the 高中 workbook).
_SHARED = [
    ("2142000105", "nine_year", None, 2100.0, 5200.0, 890_000.0, 23226, 60, 12),
    ("2142000106", "twelve_year", 450, 9800.0, 16000.0, 5_300_000.0, 61000, 320, 40),
    ("2142000203", "complete_secondary", 900, 10400.0, 18800.0, 6_050_000.0, 70500, 330, 41),
]
_SENIOR_ONLY = ("2142000301", "县第一高级中学", "urban", "senior_high", 1800, 36, 140, 13000.0, 24000.0, 9_100_000.0, 99000, 500, 50)
# The branch campus of 李家村小学 (是否计校数 = 0): its own part of the school's figures.
CAMPUS = {"school_id": "2142000113", "name": "李家村小学东校区", "parent": "2142000103", "level": "primary",
          "location": "rural", "school_type": "regular", "students": 45, "classes": 3, "teachers": 5,
          "teachers_above_degree": 4, "teachers_mid_senior_title": 2, "backbone_teachers": 0, "pe_art_teachers": 1,
          "teaching_area_m2": 260.0, "sports_area_m2": 600.0, "equipment_value_yuan": 92_500.0, "books": 1400,
          "computers": 6, "multimedia_classrooms": 2}
INDOOR_SPORTS_M2 = {"2142000101": 420.0, "2142000201": 640.0, "2142000106": 900.0, "2142000203": 760.0}

LOCATION_WORDS = {"urban": "城区", "town": "镇区", "rural": "乡村"}
LOCATION_CODES = {"urban": "111", "town": "121", "rural": "220"}
TYPE_WORDS = {"regular": {"primary": "小学", "junior": "初级中学"}, "teaching_point": "小学教学点",
              "nine_year": "九年一贯制学校", "twelve_year": "十二年一贯制学校", "complete_secondary": "完全中学",
              "senior_high": "高级中学"}
LEVEL_WORDS = {"primary": "小学", "junior": "初中", "senior": "高中"}


def known_county() -> tuple[pd.DataFrame, pd.DataFrame]:
    """The canonical schools and shared_facilities tables the export files are written from."""
    rows = []
    for s in _SECTIONS:
        row = dict(zip(["school_id", "name", "level", "location", "school_type", *COUNTS], s[:12]))
        row.update(dict(zip(SHARED, s[12:])) if len(s) > 12 else dict.fromkeys(SHARED))
        rows.append({"county": COUNTY, **row})
    schools = pd.DataFrame(rows)[["school_id", "name", "county", "level", "location", "school_type", *COUNTS, *SHARED]]
    shared = pd.DataFrame(_SHARED, columns=["school_id", "school_type", "students_senior", *SHARED])
    return schools, shared


def export_rows(level: str) -> list[dict]:
    """The level's rows as the export holds them: campus apart, whole-school facilities repeated."""
    schools, shared = known_county()
    facilities = shared.set_index("school_id")
    rows = []
    for row in schools[schools["level"] == level].to_dict("records"):
        if row["school_id"] in facilities.index:
            row.update(facilities.loc[row["school_id"], SHARED].to_dict())
        if row["school_id"] == CAMPUS["parent"]:
            for column in COUNTS + SHARED:
                row[column] -= CAMPUS[column]
        rows.append({**row, "counts": 1})
    if level == "primary":
        rows.append({**CAMPUS, "county": COUNTY, "counts": 0})
    if level == "senior":
        for school_id, _, senior, *values in _SHARED:
            if senior is not None:
                section = schools[schools["school_id"] == school_id].iloc[0]
                rows.append({"school_id": school_id, "name": section["name"], "county": COUNTY, "location": section["location"],
                             "school_type": section["school_type"], "students": senior, "classes": senior // 45,
                             "teachers": senior // 12, "counts": 1, **dict(zip(SHARED, values))})
        sid, name, loc, kind, students, classes, teachers, *values = _SENIOR_ONLY
        rows.append({"school_id": sid, "name": name, "county": COUNTY, "location": loc, "school_type": kind,
                     "students": students, "classes": classes, "teachers": teachers, "counts": 1, **dict(zip(SHARED, values))})
    return rows


def _split(total: int, shares: list[float]) -> list[int]:
    """`total` split into whole parts in the given proportions (the last takes the remainder)."""
    parts = [int(total * s) for s in shares[:-1]]
    return parts + [total - sum(parts)]


def export_columns(level: str, parent_column: bool = False) -> list[tuple[tuple[str, ...], object]]:
    """(header path, value of a row) for every column of the level's workbook, left to right."""
    backbone = "县级以上骨干教师(初中)" if level == "junior" else "县级以上骨干教师(小学)"

    def degree(r):
        above, rest = r.get("teachers_above_degree", r["teachers"] - 2), r["teachers"] - r.get("teachers_above_degree", r["teachers"] - 2)
        if level == "primary":  # associate or higher is above the requirement for primary teachers
            pg, ba, assoc = _split(above, [0.05, 0.6, 0.35])
            return [pg, ba, assoc, rest, 0]
        pg, ba = _split(above, [0.1, 0.9])
        assoc, sec = _split(rest, [0.8, 0.2])
        return [pg, ba, assoc, sec, 0]

    def title(r):
        mid = r.get("teachers_mid_senior_title", r["teachers"] // 2)
        top, senior, middle = _split(mid, [0.03, 0.3, 0.67])
        assistant, clerk, none = _split(r["teachers"] - mid, [0.7, 0.1, 0.2])
        return [top, senior, middle, assistant, clerk, none]

    def subjects(r):
        pe_art = r.get("pe_art_teachers", 0)
        pe, music, art = _split(pe_art, [0.5, 0.25, 0.25])
        chinese, math, other = _split(r["teachers"] - pe_art, [0.4, 0.35, 0.25])
        return [chinese, math, pe, music + art, music, art, other]

    t = ("教基1101", "专任教师")
    columns = [
        (("学校名称",), lambda r: r["name"]),
        (("学校标识码",), lambda r: r["school_id"]),
        (("统计三级",), lambda r: r["county"]),
        (("城乡分类",), lambda r: (LOCATION_CODES if level == "junior" else LOCATION_WORDS)[r["location"]]),
        (("办学类型",), lambda r: TYPE_WORDS[r["school_type"]] if r["school_type"] != "regular" else TYPE_WORDS["regular"][level]),
        (("是否计校数",), lambda r: r["counts"]),
    ]
    if parent_column:
        columns.append((("所属学校标识码",), lambda r: r.get("parent")))
    columns += [
        (("教基1101", "在校生数", "合计"), lambda r: r["students"]),
        (("教基1101", "在校生数", "其中：女"), lambda r: r["students"] // 2),
        (("教基1101", "班数", "合计"), lambda r: r["classes"]),
        ((*t, "合计"), lambda r: r["teachers"]),
    ]
    for i, word in enumerate(["研究生", "本科", "专科", "高中阶段毕业", "高中阶段以下毕业"]):
        columns.append(((*t, "#按学历分", word), lambda r, i=i: degree(r)[i]))
    for i, word in enumerate(["正高级", "副高级", "中级", "助理级", "员级", "未定职级"]):
        columns.append(((*t, "#按职称分", word), lambda r, i=i: title(r)[i]))
    for i, path in enumerate([("语文",), ("数学",), ("体育与健康",), ("艺术", "计"), ("艺术", "音乐"), ("艺术", "美术"), ("其他",)]):
        columns.append(((*t, "#按授课课程分", *path), lambda r, i=i: subjects(r)[i]))
    if level != "senior":
        columns.append((("教基1102", backbone), lambda r: r["backbone_teachers"]))
    indoor = lambda r: r.get("indoor_sports_m2", INDOOR_SPORTS_M2.get(r["school_id"], 0.0))  # noqa: E731
    columns += [
        (("教学及辅助用房", "计"), lambda r: r["teaching_area_m2"] + indoor(r)),
        (("教学及辅助用房", "其中：室内体育用房"), lambda r: indoor(r) or None),  # zero left blank, as exports do
        (("运动场地面积",), lambda r: r["sports_area_m2"] - indoor(r)),
        (("教学仪器设备资产值(万元)",), lambda r: r["equipment_value_yuan"] / 10000),
        (("图书(册)",), lambda r: r["books"]),
        (("计算机(台)",), lambda r: r["computers"]),
        (("网络多媒体教室",), lambda r: r["multimedia_classrooms"]),
    ]
    return columns


def header_grid(paths: list[tuple[str, ...]], depth: int):
    """Cells and merged ranges (1-based, inclusive) of a header `depth` rows high: each path's last
    segment runs down to the bottom row; equal neighbouring cells merge across."""
    cells = {}  # (row, column) → (identity, value, bottom row)
    for c, path in enumerate(paths, start=1):
        for i, segment in enumerate(path):
            bottom = depth if i == len(path) - 1 else i + 1
            cells[(i + 1, c)] = (path[: i + 1], segment, bottom)
    merges, values = [], {}
    for (r, c), (identity, value, bottom) in sorted(cells.items()):
        if cells.get((r, c - 1), (None,))[0] == identity and cells[(r, c - 1)][2] == bottom:
            continue  # already inside the range begun on its left
        end = c
        while cells.get((r, end + 1), (None,))[0] == identity and cells[(r, end + 1)][2] == bottom:
            end += 1
        values[(r, c)] = value
        if end > c or bottom > r:
            merges.append((r, c, bottom, end))
    return values, merges


def write_export(path: Path, level: str, *, parent_column=False, column_numbers=False, edit=None,
                 rows: list[dict] | None = None) -> Path:
    """One level's workbook (.xlsx) or CSV (.csv, encoding by `edit`'s caller: see write_csv).

    `edit(paths, grid)` may change header paths or data cells before writing (malformed variants).
    """
    columns = export_columns(level, parent_column)
    paths = [p for p, _ in columns]
    data = [[value(r) for _, value in columns] for r in (rows if rows is not None else export_rows(level))]
    if edit is not None:
        edit(paths, data)
    depth = max(len(p) for p in paths)
    values, merges = header_grid(paths, depth)
    numbers = [["甲", "乙", "丙", "丁", "戊", "己", *range(1, len(paths) - 5)]] if column_numbers else []
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"{LEVEL_WORDS[level]}基层表"
    for (r, c), value in values.items():
        sheet.cell(r, c, value)
    for r0, c0, r1, c1 in merges:
        sheet.merge_cells(start_row=r0, start_column=c0, end_row=r1, end_column=c1)
    for row in numbers + data:
        sheet.append(row)
    workbook.save(path)
    return path


def write_csv(path: Path, level: str, encoding: str, edit=None) -> Path:
    """The same table as a provider's CSV export: header text in the first cell of its span."""
    columns = export_columns(level)
    paths = [p for p, _ in columns]
    data = [[value(r) for _, value in columns] for r in export_rows(level)]
    if edit is not None:
        edit(paths, data)
    depth = max(len(p) for p in paths)
    values, _ = header_grid(paths, depth)
    header = [[values.get((r, c), "") for c in range(1, len(paths) + 1)] for r in range(1, depth + 1)]
    with open(path, "w", encoding=encoding, newline="") as handle:
        csv.writer(handle).writerows(header + [["" if v is None else v for v in row] for row in data])
    return path


def campus_csv(path: Path, encoding: str = "utf-8") -> Path:
    path.write_text(f"校点,所属学校\n{CAMPUS['name']},{CAMPUS['parent']}\n", encoding=encoding)
    return path
