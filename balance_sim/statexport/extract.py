"""Reading the data rows of a mapped sheet into canonical values, one record per row.

Types and value words come from the data dictionary (`balance_sim/io/dictionary.yaml`) plus the
mapping's own words. In a sum of several columns a blank part counts as zero when the row reports
any part (the statistics system leaves zeros blank); a column with every part blank is missing.
Every problem names the file, the visible row and the column letter with its header path.
"""
from __future__ import annotations

from balance_sim.errors import Problem
from balance_sim.io.dictionary import normalise_word
from balance_sim.statexport.cells import as_number, as_text, is_blank
from balance_sim.statexport.mapping import Mapping, column_spec
from balance_sim.statexport.resolve import BreakdownCheck, SheetMapping, Source

_TOTAL_ROW_NAMES = {"合计", "总计", "小计", "全县合计"}


def is_total_row(mapped: SheetMapping, cells: tuple) -> bool:
    """A county total line some exports carry above or below the schools."""
    sources = mapped.sources.get("name", ())
    return bool(sources) and normalise_word(cells[sources[0].column.index]) in _TOTAL_ROW_NAMES


def read_row(mapped: SheetMapping, mapping: Mapping, row: int, cells: tuple) -> tuple[dict, list[Problem]]:
    """The canonical values of one data row, and every problem in it."""
    record, problems = {}, []
    for canonical, sources in mapped.sources.items():
        spec = column_spec(canonical)
        kind = spec.type
        if kind in ("int", "float"):
            value, found = _number(mapped, row, cells, canonical, sources, kind)
        elif kind == "category":
            value, found = _word(mapped, mapping, row, cells, canonical, sources[0], spec.values)
        else:
            value, found = as_text(cells[sources[0].column.index]), []
        problems += found
        if value is None and not found and mapping.is_required(canonical, mapped.level):
            problems.append(Problem(mapped.sheet.where, row, mapped.label(canonical), f"{canonical} is empty"))
        record[canonical] = value
    return record, problems


def _number(mapped, row, cells, canonical, sources: tuple[Source, ...], kind):
    total, seen, problems = 0.0, False, []
    for source in sources:
        try:
            number = as_number(cells[source.column.index])
        except ValueError as error:
            problems.append(Problem(mapped.sheet.where, row, source.column.label, f"{canonical}: {error}"))
            continue
        if number is not None:
            total += source.sign * source.scale * number
            seen = True
    if problems or not seen:
        return None, problems
    def problem(message: str) -> tuple[None, list[Problem]]:
        return None, [Problem(mapped.sheet.where, row, mapped.label(canonical), f"{canonical} {message}")]

    if kind == "int" and abs(total - round(total)) > 1e-6:
        return problem(f"is not a whole number: {total:g}")
    if total < 0:
        parts = " ".join(f"{'+' if s.sign > 0 else '−'} {s.column.text}" for s in sources).lstrip("+ ")
        return problem(f"= {parts} is negative: {total:g}")
    return (int(round(total)) if kind == "int" else total), []


def _word(mapped, mapping, row, cells, canonical, source: Source, category: str):
    raw = cells[source.column.index]
    if is_blank(raw):
        return None, []
    text = as_text(raw)
    words = mapping.values.get(category, {})
    value = words.get(normalise_word(text))
    if value is None and category == "location" and text.isdigit():
        prefixes = [p for p in mapping.location_codes if text.startswith(p)]
        value = mapping.location_codes[max(prefixes, key=len)] if prefixes else None
    if value is None:
        known = ", ".join(sorted({w for w in words}))
        return None, [Problem(mapped.sheet.where, row, source.column.label,
                              f"{canonical}: unknown value {text!r} (known: {known})")]
    return value, []


def check_totals(mapped: SheetMapping, row: int, cells: tuple) -> tuple[list[Problem], list[BreakdownCheck]]:
    """Each breakdown against its total (blank = 0; a row with all blank is skipped): parts above
    the total are a problem, and so are parts below it when every category of the breakdown is
    in the sheet. Also returns the trimmed breakdowns whose parts fall short of the total in this
    row, which the mapping report notes."""
    problems, short = [], []
    for check in mapped.checks:
        if not check.runs:
            continue
        try:
            values = [as_number(cells[column.index]) for column in (check.total, *check.parts)]
        except ValueError:
            continue  # an unreadable cell is reported where it is read; its sum means nothing
        if all(v is None for v in values):
            continue
        stated, summed = values[0] or 0.0, sum(v or 0.0 for v in values[1:])
        if abs(stated - summed) <= 1e-6 * max(1.0, abs(stated)):
            continue
        if summed < stated and not check.complete:
            short.append(check)
            continue
        if summed > stated:
            why = f"the parts of {check.group} cannot add up to more than their total"
        elif check.check.categories:
            why = f"every category of {check.group} is in the sheet, so its parts must add up to the total"
        else:
            why = f"the mapping lists no categories for {check.group}, so its columns are taken as the whole breakdown"
        detail = " + ".join(f"{c.path[-1]} {v or 0:g}" for c, v in zip(check.parts, values[1:]))
        problems.append(Problem(mapped.sheet.where, row, check.total.label,
                                f"total {stated:g} differs from the sum of its parts {summed:g} ({detail}): {why}"))
    return problems, short
