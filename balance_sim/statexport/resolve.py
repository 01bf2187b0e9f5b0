"""Matching a mapping against one sheet's header paths: which columns feed each canonical column.

A required column with no match is a problem that names the closest header paths found (difflib)
and points at the closest one's cell; a path that matches several columns is a problem too, since
choosing one would be a guess.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass

from balance_sim.errors import Problem
from balance_sim.statexport.cells import segment_key, unit_factor
from balance_sim.statexport.headers import HeaderColumn, Sheet
from balance_sim.statexport.mapping import Check, Mapping, Pattern, Term, column_spec

_GROUP_TOTALS = ("计", "合计", "小计")


@dataclass(frozen=True)
class Source:
    """One header column feeding a canonical column, with its sign and unit factor."""

    column: HeaderColumn
    sign: int = 1
    scale: float = 1.0


@dataclass(frozen=True)
class BreakdownCheck:
    """A mapping check as it applies to one sheet: the total column and the part columns, the
    categories of the breakdown the sheet lacks, or why the check cannot run."""

    check: Check
    total: HeaderColumn | None = None
    parts: tuple[HeaderColumn, ...] = ()
    missing: tuple[str, ...] = ()
    skipped: str = ""

    @property
    def runs(self) -> bool:
        return not self.skipped

    @property
    def complete(self) -> bool:
        """Every category is there: the parts must add up to the total, not only stay below it."""
        return not self.missing

    @property
    def group(self) -> str:
        return self.check.parts_under.text


@dataclass(frozen=True)
class SheetMapping:
    """What one sheet's columns mean for one level: canonical column → sources."""

    sheet: Sheet
    level: str
    sources: dict[str, tuple[Source, ...]]
    absent: tuple[str, ...]
    checks: tuple[BreakdownCheck, ...]

    @property
    def ignored(self) -> tuple[HeaderColumn, ...]:
        used = {s.column.index for sources in self.sources.values() for s in sources}
        return tuple(c for c in self.sheet.columns if c.index not in used)

    def label(self, canonical: str) -> str:
        """How problems name a canonical column: letter and header path, or the letters it sums."""
        sources = self.sources.get(canonical, ())
        if len(sources) == 1:
            return sources[0].column.label
        letters = "".join(("+" if s.sign > 0 else "−") + s.column.letter for s in sources).lstrip("+")
        return f"{letters} ({canonical})" if sources else canonical


def resolve(mapping: Mapping, sheet: Sheet, level: str) -> tuple[SheetMapping, list[Problem]]:
    sources, absent, problems = {}, [], []
    for canonical in mapping.columns:
        terms = mapping.terms_for(canonical, level)
        found, missing, ambiguous = [], None, False
        for term in terms:
            columns, problem = _match_term(term, sheet)
            problems.extend(problem)
            if columns is None and not term.optional:
                missing, ambiguous = term, bool(problem)
                break
            for column in columns or ():
                found.append(Source(column, term.sign, unit_factor(column.text, column_spec(canonical).unit)))
        if terms and missing is None and found:
            sources[canonical] = tuple(found)
        elif terms:
            absent.append(canonical)
            if mapping.is_required(canonical, level) and not ambiguous:
                problems.append(_missing(sheet, canonical, missing or terms[0]))
    checks = tuple(_check_columns(check, sheet) for check in mapping.checks)
    return SheetMapping(sheet, level, sources, tuple(absent), checks), problems


def _match_term(term: Term, sheet: Sheet) -> tuple[tuple[HeaderColumn, ...] | None, list[Problem]]:
    for alternative in term.alternatives:
        matches = [_matching(pattern, sheet) for pattern in alternative]
        if any(len(m) > 1 for m in matches):
            many = next(m for m in matches if len(m) > 1)
            return None, [_ambiguous(sheet, alternative, many)]
        if all(matches):
            return tuple(m[0] for m in matches), []
    return None, []


def _matching(pattern: Pattern, sheet: Sheet) -> list[HeaderColumn]:
    return [column for column in sheet.columns if pattern.matches(column)]


def _ambiguous(sheet: Sheet, alternative, columns) -> Problem:
    names = "; ".join(c.label for c in columns)
    pattern = " + ".join(p.text for p in alternative)
    return Problem(sheet.where, sheet.header_rows, columns[0].letter,
                   f"header path '{pattern}' matches several columns ({names}); name one in the mapping")


def _missing(sheet: Sheet, canonical: str, term: Term) -> Problem:
    wanted = [p.text for alt in term.alternatives for p in alt]
    by_text = {c.text: c for c in sheet.columns}
    closest = []
    for text in wanted:
        closest += [t for t in difflib.get_close_matches(text, list(by_text), n=3, cutoff=0.4) if t not in closest]
    closest = closest[:3]
    hint = "; closest header paths: " + ", ".join(by_text[t].label for t in closest) if closest else ""
    column = by_text[closest[0]].letter if closest else None
    alternatives = " | ".join(f"'{w}'" for w in wanted)
    return Problem(sheet.where, sheet.header_rows, column,
                   f"required column {canonical}: no header path matches {alternatives}{hint}")


def _check_columns(check: Check, sheet: Sheet) -> BreakdownCheck:
    """The total column and the columns that add up to it, with the categories the sheet lacks;
    or why the check cannot run on this sheet."""
    totals = [c for p in check.total for c in _matching(p, sheet)]
    wanted = " | ".join(p.text for p in check.total)
    if not totals:
        return BreakdownCheck(check, skipped=f"no column {wanted}")
    if len(totals) > 1:
        return BreakdownCheck(check, skipped=f"{wanted} matches several columns ({', '.join(c.letter for c in totals)})")
    prefix = check.parts_under.key
    under = [c for c in sheet.columns if _after(c.key, prefix) and c not in totals]
    parts = _leaf_parts(under, prefix)
    if not parts:
        return BreakdownCheck(check, totals[0], skipped=f"no columns under {check.parts_under.text}")
    if len(parts) == 1 and not check.categories:
        return BreakdownCheck(check, totals[0], tuple(parts),
                              skipped=f"one column under {check.parts_under.text} and no categories in the mapping "
                                      "to tell a whole breakdown from a trimmed one")
    children = {_after(c.key, prefix)[0] for c in under}
    missing = tuple(category.name for category in check.categories if not category.present(children))
    return BreakdownCheck(check, totals[0], tuple(parts), missing)


def _after(key: tuple[str, ...], prefix: tuple[str, ...]) -> tuple[str, ...] | None:
    """The segments of `key` below `prefix`, when `prefix` runs somewhere inside it."""
    for start in range(len(key) - len(prefix)):
        if key[start:start + len(prefix)] == prefix:
            return key[start + len(prefix):]
    return None


def _leaf_parts(columns: list[HeaderColumn], prefix: tuple[str, ...]) -> list[HeaderColumn]:
    """The columns that partition a group: each child once, by its own subtotal when it has one."""
    parts, children = [], {}
    for column in columns:
        children.setdefault(_after(column.key, prefix)[0], []).append(column)
    for child, members in children.items():
        own = [c for c in members if _after(c.key, prefix) == (child,)]
        totals = [c for c in members if _after(c.key, prefix)[1:] in [(segment_key(t),) for t in _GROUP_TOTALS]]
        parts += own or totals or _leaf_parts(members, prefix + (child,))
    return parts
