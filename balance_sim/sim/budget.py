"""The county's compulsory-education budget from year to year, and the "three growths" check
(docs/sources.md#money; issue 14 §2).

    B_0   the budget table's appropriation in the base year t_0; without a table, the base
          year's modelled claims C_0 × (1 + funding.other_share)
    B_t   the table's appropriation for year t when the table has one (a plan), else
          B_{t−1} · (1 + funding.budget_growth)
    O_0   other recurrent spending, what the base budget pays beyond the modelled claims:
          B_0 − C_0 (0 when the budget does not cover them; said in the notes), or
          funding.other_share × C_0 without a table
    O_t   O_{t−1} · (1 + funding.price_growth)
    w_t   teachers' pay per teacher, funding.teacher_pay_yuan · Π (1 + teacher_pay_growth)

C_0 is valued at the status quo — the run's policy with the levers at their defaults (funding.py) —
so O_t is the same for every policy: a dearer lever leaves less for the others, never a smaller
"other" (issue 14 §2).

Three growths in year t (docs/sources.md#money, 1.0 yes / 0.0 no / NaN without pupils or a year before):
appropriation growth B_t / B_{t−1} − 1 above the growth of recurrent fiscal revenue (the
budget table's, else funding.revenue_growth); spending per pupil (yuan spent ÷ pupils) above last
year's; public funds per pupil above last year's. The base year's spending is B_0.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

NAN = float("nan")


@dataclass
class Budget:
    """Money carried from year to year (yuan). Every number is an array with one element per
    county of the state (length 1 in a state of one county): `carried` counties × groups
    ((2,) in a state of one county built alone), `planned` year → appropriation per county
    (NaN where a county's table has no plan for the year), `figures` name → one per county."""

    base_year: np.ndarray  # t_0
    base: np.ndarray  # B_0
    current: np.ndarray  # B_t, this year's budget
    other: np.ndarray  # O_t, other recurrent spending this year (O_0 in the base year)
    revenue_growth: np.ndarray  # growth of recurrent fiscal revenue, for the three-growths check
    base_pay: np.ndarray = NAN  # pay per teacher in the base year at the status quo (w_0)
    base_teachers: np.ndarray = 0.0  # teachers serving in the base year
    pay_factor: np.ndarray = 1.0  # w_t / funding.teacher_pay_yuan
    planned: dict = field(default_factory=dict)  # appropriations of the table's later years
    # Earmarked new funds carried into the next year, by group (non_rural, rural): added to that
    # group's pool next year, and counted in next year's `available` (available_t = B_t + carried in).
    carried: np.ndarray = field(default_factory=lambda: np.zeros(2))
    last_budget: np.ndarray = NAN
    last_per_pupil: np.ndarray = NAN  # yuan spent per pupil last year
    last_public_per_pupil: np.ndarray = NAN  # public funds per pupil last year
    # This year's county figures (funding.FIGURES), recorded by the year loop.
    figures: dict = field(default_factory=dict)


# The Budget numbers held one per county (all but `carried`, `planned` and `figures`).
COUNTY_NUMBERS = ("base_year", "base", "current", "other", "revenue_growth", "base_pay", "base_teachers", "pay_factor",
                  "last_budget", "last_per_pupil", "last_public_per_pupil")


def one_county(budget: Budget) -> Budget:
    """A budget of one county given in numbers, in the state's form: every number an array of
    one element, the plan's appropriations too (carried stays by group)."""
    for name in COUNTY_NUMBERS:
        dtype = np.int64 if name == "base_year" else float
        setattr(budget, name, np.array([getattr(budget, name)], dtype=dtype))
    budget.planned = {year: np.array([float(v)]) for year, v in budget.planned.items()}
    budget.carried = np.asarray(budget.carried, dtype=float).reshape(2)
    return budget


def advance(budget: Budget, year: int, growth: float, price_growth: float, pay_growth: float) -> None:
    """The budget, other spending and pay of `year` from last year's (in place), in every county:
    a county's plan where its table has one for `year`, else last year's budget grown."""
    budget.last_budget = budget.current
    grown = budget.current * (1.0 + growth)
    plan = budget.planned.get(year)
    budget.current = grown if plan is None else np.where(np.isfinite(plan), plan, grown)
    budget.other = budget.other * (1.0 + price_growth)
    budget.pay_factor = budget.pay_factor * (1.0 + pay_growth)


def three_growths(budget: Budget, spent: np.ndarray, public_funds: np.ndarray, pupils: np.ndarray) -> dict:
    """The docs/sources.md#money checks of this year in every county (1.0 / 0.0 / NaN, one per
    county); remembers this year's per-pupil figures for the next."""
    with np.errstate(divide="ignore", invalid="ignore"):
        enrolled = pupils > 0
        per_pupil = np.where(enrolled, spent / np.where(enrolled, pupils, 1.0), NAN)
        public_per_pupil = np.where(enrolled, public_funds / np.where(enrolled, pupils, 1.0), NAN)
        before = budget.last_budget > 0
        growth = budget.current / np.where(before, budget.last_budget, 1.0) - 1.0
    flags = {
        "appropriation_faster_than_revenue": _flag(growth > budget.revenue_growth,
                                                   before & np.isfinite(budget.revenue_growth)),
        "spending_per_pupil_grows": _flag(per_pupil > budget.last_per_pupil,
                                          np.isfinite(per_pupil) & np.isfinite(budget.last_per_pupil)),
        "public_funds_per_pupil_grows": _flag(public_per_pupil > budget.last_public_per_pupil,
                                              np.isfinite(public_per_pupil)
                                              & np.isfinite(budget.last_public_per_pupil)),
    }
    budget.last_per_pupil, budget.last_public_per_pupil = per_pupil, public_per_pupil
    return flags


def _flag(value: np.ndarray, known: np.ndarray) -> np.ndarray:
    return np.where(known, np.asarray(value, dtype=float), NAN)


def base_budget(year: int, claims: float, table, other_share: float,
                revenue_growth: float, notes: list[str]) -> Budget:
    """The budget of one county in the base year, in numbers (`one_county` gives the state's
    form), from the budget table (None, or (base yuan, revenue growth, note[, {later year:
    yuan}])) and the base year's modelled claims at the status quo."""
    if table is None:
        base = claims * (1.0 + other_share)
        notes.append("budget: no budget table; base budget = modelled claims of the base year × "
                     "(1 + funding.other_share)")
        return Budget(base_year=year, base=base, current=base, other=base - claims,
                      revenue_growth=revenue_growth, last_budget=base)
    base, table_growth, note, *later = table
    if note is not None:
        revenue_growth = table_growth
        notes.append(note)
    other = base - claims
    if other < 0:
        notes.append(f"budget: the base-year compulsory-education budget {base:,.0f} yuan is below the modelled "
                     f"claims {claims:,.0f} yuan; other recurrent spending is set to 0 and the shortfall "
                     "shows as an unaffordable gap")
        other = 0.0
    planned = {int(y): float(v) for y, v in (later[0] if later else {}).items() if int(y) > year}
    return Budget(base_year=year, base=base, current=base, other=other, revenue_growth=revenue_growth,
                  planned=planned, last_budget=base)
