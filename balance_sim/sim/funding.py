"""Funding: the year's compulsory-education budget and where every yuan goes (docs/sources.md#levers
lever 1; docs/sources.md#moe-2005; docs/sources.md#quality-2017-checklist, docs/sources.md#money; issue 14 §2).

Each year t:
1. the budget B_t, other recurrent spending O_t and pay w_t move on (budget.py);
2. claims are met from B_t in this order (recurrent.py, replacement.py): other O_t, public
   funds (the national benchmark), salaries, rural allowances, itinerant teachers, training,
   replacement of worn equipment, computers and books, classrooms the capacity lever built —
   what is fixed first, the levers' claims after. What cannot be met is cut — the first short
   claim pro rata, those after it in full — and reported as the year's `unaffordable_gap` with
   a note naming the items cut; no claim is met from another's money;
3. what remains, N_t = B_t − claims paid, is the increment the levers compete for: new funds,
   earmarked by `rural_share` and spent on each group's gaps (new_funds.py); what a group cannot
   use is carried over in its group to the next year.

Accounting, every year (checked by `ledger.check_yuan`, and the ledger's rows sum to it):

    available_t = B_t + K_t              K_t: earmarked yuan carried in from last year
                = recurrent + capital + carried over + unspent
    recurrent   = other + salaries + public funds + allowance + itinerant + training
    capital     = replacement + construction + new funds spent
    allocated   = available − unspent;   spent = recurrent + capital

Carried-over yuan appear twice in sums over years of `available` (as carried over in year t,
as carried in in year t + 1); `budget` sums without double counting.

"Other" is fixed in the base year at the status quo (the levers at their defaults, `status_quo_policy`)
and grows with funding.price_growth, so two policies with different levers see the same "other":
a dearer lever (allowance, a pay raise, posts, itinerant teachers, training, construction) leaves
less for new funds, never more. Calibration is the run's own: a different `teacher_pay_yuan`
(the county's actual pay) changes the base-year claims and so "other"; a pay lever is
`teacher_pay_raise`. Each lever's cost per year is a county figure (FIGURES).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
import numpy as np

from balance_sim.sim import budget as B
from balance_sim.sim import capacity, capital, hiring, new_funds, recurrent, replacement
from balance_sim.sim import ledger as L
from balance_sim.sim.budget import Budget
from balance_sim.sim.stack import stack_budgets
from balance_sim.sim.streams import CountyDraws
from balance_sim.sim.state import State

# County figures of a year (state.budget.figures), yuan unless named a flag or a share.
FIGURES = (
    "budget", "carried_in", "available", "allocated", "spent", "unspent",
    "recurrent", "salaries", "allowance", "public_funds", "training", "itinerant", "other",
    "capital", "replacement", "construction", "new_funds",
    "rural_earmark", "rural_used", "rural_carried_over",
    "non_rural_earmark", "non_rural_used", "non_rural_carried_over", "carried_over",
    "unaffordable_gap", "pay_increase", "extra_posts", "training_share_of_public_funds",
    "appropriation_faster_than_revenue", "spending_per_pupil_grows", "public_funds_per_pupil_grows",
)
# The claims in the order they are met, with their ledger items (replacement: three items).
CLAIMS = ("other", "public_funds", "salaries", "allowance", "itinerant", "training", "replacement", "construction")
SECTION_ITEMS = {"public_funds": L.PUBLIC_FUNDS, "salaries": L.SALARIES, "allowance": L.ALLOWANCE,
                 "itinerant": L.ITINERANT, "training": L.TRAINING, "construction": L.CONSTRUCTION}


@dataclass(frozen=True)
class Context:
    """The policy's funding values in force in one year."""

    budget_growth: float
    revenue_growth: float
    price_growth: float
    other_share: float
    pay: float  # yuan per teacher a year before pay growth (teacher_pay_yuan × (1 + teacher_pay_raise))
    pay_growth: float
    allowance_month: float  # yuan per rural teacher a month
    public_rate: np.ndarray  # yuan per pupil, by level
    boarding_supplement: float
    small_school_floor: float
    training_rate: float
    rural_training_priority: float
    training_cost: float  # yuan per teacher trained
    completion_rate: float  # p: due teachers completing the 360-hour cycle this year
    cycle_years: int
    cycle_cost: float  # yuan per completed cycle
    hiring: hiring.Context  # the itinerant teachers' rule and cost
    rural_share: float
    rule: str
    weak_tilt: float
    need_target: float
    upgrade_target: float
    unit_costs: np.ndarray  # yuan per unit, ASSETS order
    lives: np.ndarray  # years, ASSETS order (inf: does not wear)
    class_limit: np.ndarray  # pupils per class, by level
    area_per_classroom: float

    @classmethod
    def of(cls, policy, year: int) -> "Context":
        f, t, e = policy.funding, policy.teachers, policy.enrolment
        return cls(
            budget_growth=f.budget_growth, revenue_growth=f.revenue_growth, price_growth=f.price_growth,
            other_share=f.other_share, pay=f.teacher_pay_yuan * (1.0 + f.teacher_pay_raise.at(year)),
            pay_growth=f.teacher_pay_growth,
            allowance_month=t.hardship_allowance_yuan_month.at(year),
            public_rate=np.array([f.public_funds_per_pupil.primary.at(year), f.public_funds_per_pupil.junior.at(year)]),
            boarding_supplement=f.boarding_supplement.at(year), small_school_floor=float(f.small_school_floor),
            training_rate=t.training_rate.at(year), rural_training_priority=t.rural_training_priority,
            training_cost=f.training_cost_per_teacher,
            completion_rate=t.training_completion_rate.at(year), cycle_years=int(t.training_cycle_years),
            cycle_cost=f.cycle_cost_per_teacher, hiring=hiring.Context.of(policy, year),
            rural_share=f.rural_share.at(year), rule=f.allocation_rule, weak_tilt=f.weak_school_tilt,
            need_target=f.need_target, upgrade_target=f.upgrade_target, unit_costs=capital.unit_costs(f.unit_cost),
            lives=replacement.lives(f.equipment_life_years, f.computer_life_years, f.book_life_years),
            class_limit=np.array([e.class_size_limit.primary, e.class_size_limit.junior], dtype=float),
            area_per_classroom=e.teaching_area_per_classroom_m2,
        )


# The levers whose base-year claims the base budget is taken to have paid at their default
# values: a scenario that moves one of them changes its own claims, never "other".
STATUS_QUO_LEVERS = ("funding.teacher_pay_raise", "teachers.hardship_allowance_yuan_month", "teachers.training_rate",
                     "teachers.training_completion_rate", "teachers.rural_training_priority",
                     "teachers.itinerant_pe_art.enabled")


@lru_cache(maxsize=64)  # policies are frozen and hashable; sweeps run one policy many times
def status_quo_policy(policy):
    """The run's policy with the levers at their defaults: what the base year was run under.
    Calibration (pay, benchmarks, unit costs) stays the run's own."""
    from balance_sim.sim.policy import default_policy, to_dict

    defaults = to_dict(default_policy())

    def leaf(path):
        node = defaults
        for part in path.split("."):
            node = node[part]
        return node

    return policy.override({path: leaf(path) for path in STATUS_QUO_LEVERS})


def _pupils(state: State) -> np.ndarray:
    return state.schools.pupils() if state.pupils is None else state.pupils


def _by_county(state: State, values: np.ndarray) -> np.ndarray:
    """Per county, the sum of `values` by section (sections × items: the sections' row sums),
    each county's sections added in their order (as alone)."""
    values = np.asarray(values, dtype=float)
    rows = values.reshape(len(values), -1).sum(axis=1)
    return np.bincount(state.schools.county, weights=rows, minlength=state.counties)


def _claim_totals(state: State, claims: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Each claim's yuan by county ("other" is one row per county already)."""
    return {name: value if name == "other" else _by_county(state, value) for name, value in claims.items()}


def claims(state: State, context: Context, pay, other) -> dict[str, np.ndarray]:
    """Every claim of the year by section, in CLAIMS order (other: one element per county;
    replacement: sections × items, the stock's wear priced). `pay` and `other`: numbers, or one
    per county."""
    s, t, pupils = state.schools, state.teachers, _pupils(state)
    pay = np.asarray(pay, dtype=float)
    served = s.itinerant_pe_art
    itinerant_yuan = hiring.itinerant_cost_yuan_by_county(served, s.county, state.counties, context.hiring)
    return {
        "other": np.broadcast_to(np.asarray(other, dtype=float), (state.counties,)).copy(),
        "public_funds": recurrent.public_funds(s, pupils, context.public_rate, context.boarding_supplement,
                                               context.small_school_floor),
        "salaries": recurrent.salaries(t, s.n, pay[s.county] if pay.ndim else pay),
        "allowance": recurrent.allowance(t, s, context.allowance_month),
        "itinerant": recurrent.itinerant(s, itinerant_yuan),
        "training": recurrent.training(t, s, context.training_rate, context.rural_training_priority,
                                       context.training_cost, context.completion_rate, context.cycle_years,
                                       context.cycle_cost) + s.targeted_trained_yuan,
        "replacement": replacement.wear(s, context.lives) * context.unit_costs,
        "construction": s.construction_yuan,
    }


def _owners(state: State) -> list[np.ndarray]:
    """The county position of each row of every claim (other: one row per county)."""
    return [np.arange(state.counties) if name == "other" else state.schools.county for name in CLAIMS]


def initial_budget(state: State, context: Context, status: Context, budget_table) -> Budget:
    """The base year's budget of every county of the state, in the state's form (every number an
    array of one element per county). `budget_table`: None, or (base-year appropriation, growth
    of fiscal revenue, note or None[, {later year: appropriation}]) of a state of one county.
    Other recurrent spending is what the base budget pays beyond the base year's claims at the
    status quo (`status`, from `status_quo_policy`)."""
    if budget_table is not None and state.counties != 1:
        raise ValueError(f"a budget table describes one county; the state holds {state.counties} counties")
    sq = status
    total = sum(_claim_totals(state, claims(state, sq, sq.pay, 0.0)).values())
    teachers = state.serving_by_county()
    pupils = _by_county(state, _pupils(state))
    public = _by_county(state, claims(state, context, context.pay, 0.0)["public_funds"])
    budgets = []
    for county in range(state.counties):
        notes: list[str] = []
        b = B.base_budget(state.year, float(total[county]), budget_table, context.other_share, context.revenue_growth,
                          notes)
        b.base_pay, b.base_teachers = sq.pay, float(teachers[county])
        b.last_per_pupil = b.base / pupils[county] if pupils[county] > 0 else B.NAN
        b.last_public_per_pupil = public[county] / pupils[county] if pupils[county] > 0 else B.NAN
        notes.append(
            f"budget: other recurrent spending {b.other:,.0f} yuan in {state.year} (the base budget {b.base:,.0f} less "
            f"the modelled claims {float(total[county]):,.0f} with the levers at their defaults), the same for every "
            "policy, growing with funding.price_growth")
        for text in notes:
            state.note(text, county)
        budgets.append(B.one_county(b))
    return budgets[0] if state.counties == 1 else stack_budgets(budgets)


def step(state: State, context: Context, rng: CountyDraws) -> list:
    """One year of funding in every county from its own budget (mutates the state's budget,
    assets, rooms, public funds and capital); returns the year's funding-ledger rows. `rng` is
    not drawn from."""
    s, b, pupils = state.schools, state.budget, _pupils(state)
    B.advance(b, state.year, context.budget_growth, context.price_growth, context.pay_growth)
    carried_in = np.asarray(b.carried, dtype=float).reshape(state.counties, 2).copy()
    asked = claims(state, context, context.pay * b.pay_factor, b.other)
    paid, shares, increment = recurrent.pay_in_order(b.current, [asked[name] for name in CLAIMS], _owners(state))
    paid = dict(zip(CLAIMS, paid))
    shares = dict(zip(CLAIMS, shares))
    worn = asked["replacement"] / context.unit_costs
    replaced, replaced_quantity = replacement.replace(s, worn, shares["replacement"], context.unit_costs,
                                                      context.area_per_classroom)
    capacity.build(s, paid["construction"], context.area_per_classroom, context.unit_costs[capital.TEACHING_AREA])
    pools = increment[:, None] * np.array([1.0 - context.rural_share, context.rural_share]) + carried_in
    stages = new_funds.gaps(s, pupils, context.unit_costs, context.need_target, context.upgrade_target,
                            context.class_limit, context.area_per_classroom)
    shared = new_funds.share(pools, s, pupils, stages, context.rule, context.weak_tilt)
    bought = capital.buy(s, shared.yuan, context.unit_costs, context.area_per_classroom)
    b.carried = shared.carried.reshape(np.shape(b.carried))  # in the form the budget holds it
    s.public_funds = paid["public_funds"]
    s.capital = replaced.sum(axis=1) + paid["construction"] + shared.yuan.sum(axis=1)
    totals = {name: _by_county(state, paid[name]) for name in CLAIMS if name != "other"}
    totals["other"] = paid["other"]
    totals["replacement"] = _by_county(state, replaced)
    available = b.current + carried_in.sum(axis=1)
    spent = sum(totals[name] for name in CLAIMS) + shared.used.sum(axis=1)
    unspent = np.maximum(available - spent - shared.carried.sum(axis=1), 0.0)
    rows = ledger_rows(state, paid, replaced, replaced_quantity, shared, bought, unspent)
    b.figures = figures(state, context, asked, totals, shared, pools, increment, carried_in, unspent)
    L.check_yuan(available, {name: b.figures[name] for name in ("recurrent", "capital", "carried_over", "unspent")},
                 rows)
    _note_cuts(state, asked, shares, b.figures["unaffordable_gap"])
    return [rows]


def ledger_rows(state: State, paid: dict, replaced: np.ndarray, replaced_quantity: np.ndarray,
                shared: new_funds.Shared, bought: np.ndarray, unspent: np.ndarray) -> L.Funds:
    """One row per section and item with yuan, then each county's rows, county by county:
    other, what each group carries over, and unspent (always written)."""
    s = state.schools
    items = [*SECTION_ITEMS.values(), L.REPLACEMENT_FIRST, L.REPLACEMENT_FIRST + 1, L.REPLACEMENT_FIRST + 2,
             *range(L.CAPITAL_FIRST, L.CAPITAL_FIRST + bought.shape[1])]
    yuan = np.column_stack([*(paid[name] for name in SECTION_ITEMS), replaced, shared.yuan])
    quantity = np.column_stack([np.full((s.n, len(SECTION_ITEMS)), np.nan), replaced_quantity, bought])
    school, column = np.nonzero(yuan)
    # Counties × their four rows, row-major: a county's rows stay together and in order.
    county_items = np.array([L.OTHER, L.CARRIED_OVER, L.CARRIED_OVER, L.UNSPENT])
    county_groups = np.array([L.COUNTY, L.NON_RURAL, L.RURAL, L.COUNTY])
    county_yuan = np.column_stack([paid["other"], shared.carried, unspent])
    keep = (county_yuan != 0) | (county_items == L.UNSPENT)
    county, kind = np.nonzero(keep)
    return L.Funds(
        item=np.concatenate([np.asarray(items)[column], county_items[kind]]).astype(np.int8),
        school=np.concatenate([school, np.full(len(kind), -1)]).astype(np.int32),
        group=np.concatenate([s.rural[school], county_groups[kind]]).astype(np.int8),
        yuan=np.concatenate([yuan[school, column], county_yuan[county, kind]]),
        quantity=np.concatenate([quantity[school, column], np.full(len(kind), np.nan)]),
        county=np.concatenate([s.county[school], county]).astype(np.int32),
    )


def figures(state: State, context: Context, asked: dict, totals: dict, shared: new_funds.Shared,
            pools: np.ndarray, increment: np.ndarray, carried_in: np.ndarray, unspent: np.ndarray) -> dict:
    """The year's county figures (FIGURES), one per county. `totals`: each claim's yuan paid
    by county (replacement: the stock bought back)."""
    b = state.budget
    recurrent_yuan = sum(totals[name] for name in CLAIMS[:6])
    capital_yuan = totals["replacement"] + totals["construction"] + shared.used.sum(axis=1)
    teachers = state.serving_by_county()
    pay = context.pay * b.pay_factor
    asked_total = sum(_claim_totals(state, asked).values())
    public = totals["public_funds"]
    with np.errstate(divide="ignore", invalid="ignore"):
        training_share = np.where(public > 0, totals["training"] / np.where(public > 0, public, 1.0), B.NAN)
    out = {
        "budget": b.current, "carried_in": carried_in.sum(axis=1), "available": b.current + carried_in.sum(axis=1),
        "recurrent": recurrent_yuan, **{name: totals[name] for name in CLAIMS},
        "capital": capital_yuan, "new_funds": increment,
        "rural_earmark": pools[:, 1], "rural_used": shared.used[:, 1],
        "rural_carried_over": shared.carried[:, 1],
        "non_rural_earmark": pools[:, 0], "non_rural_used": shared.used[:, 0],
        "non_rural_carried_over": shared.carried[:, 0], "carried_over": shared.carried.sum(axis=1),
        "unspent": unspent, "unaffordable_gap": asked_total - sum(totals.values()),
        "pay_increase": teachers * (pay - b.base_pay), "extra_posts": (teachers - b.base_teachers) * pay,
        "training_share_of_public_funds": training_share,
    }
    out["allocated"] = out["available"] - unspent
    out["spent"] = recurrent_yuan + capital_yuan
    out.update(B.three_growths(b, out["spent"], public, _by_county(state, _pupils(state))))
    return {name: np.array(out[name], dtype=float).reshape(state.counties) for name in FIGURES}


def _note_cuts(state: State, asked: dict, shares: dict, gap: np.ndarray) -> None:
    """A note in every county whose claims exceed its budget, naming the claims cut."""
    short = np.flatnonzero(gap > 1e-6 * np.maximum(state.budget.current, 1.0))
    if not len(short):
        return
    asked_by_county = _claim_totals(state, asked)
    for c in short:  # only the counties cut, for their notes' text
        cut = ", ".join(f"{name} ({shares[name][c]:.0%} paid)" for name in CLAIMS
                        if shares[name][c] < 1.0 and asked_by_county[name][c] > 0)
        state.note(f"{state.year}: the claims exceed the budget by {gap[c]:,.0f} yuan (unaffordable); cut: {cut}",
                   county=int(c))
