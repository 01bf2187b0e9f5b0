"""A ten-year budget history of a synthetic county (2012–2021 by default).

The compulsory-education appropriation is the county's pupils times the national spending per
pupil of each level (docs/sources.md#national-statistics: primary 7,447 → 14,458, junior 10,218 → 20,717 yuan from 2012
to 2021; years between interpolated at a constant growth rate — an assumption), with small noise;
enrolment is held at today's (assumption). Fiscal revenue grows more slowly on average, so the
appropriation grows faster than revenue in most years ("three growths", docs/sources.md#money).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from balance_sim.datasets import calibration as cal

BUDGET_COLUMNS = ["year", "fiscal_revenue_yuan", "compulsory_education_yuan", "transfer_yuan", "surcharge_yuan"]


def spending_per_pupil(years: np.ndarray) -> np.ndarray:
    """National spending per pupil, (len(years), 2) for primary and junior, in yuan per year."""
    n = cal.value("budget_years")
    last = cal.value("reference_year")
    first_value = cal.level_array("spending_per_pupil_first").astype(float)
    last_value = cal.level_array("spending_per_pupil_last").astype(float)
    step = (np.asarray(years) - (last - n + 1)) / (n - 1)
    return first_value * (last_value / first_value) ** step[:, None]


def budget_history(primary_pupils: int, junior_pupils: int, rng: np.random.Generator) -> pd.DataFrame:
    """One row per year: revenue, compulsory-education appropriation, transfers, surcharge (yuan)."""
    n = cal.value("budget_years")
    last = cal.value("reference_year")
    years = np.arange(last - n + 1, last + 1)
    b = lambda name: cal.value("budget", name)  # noqa: E731
    per_pupil = spending_per_pupil(years)
    education = per_pupil @ np.array([primary_pupils, junior_pupils], dtype=float)
    education = education * np.exp(b("appropriation_noise") * rng.standard_normal(n))
    growth = b("revenue_growth") + b("revenue_growth_sd") * rng.standard_normal(n - 1)
    revenue = education[0] * b("revenue_to_education_first") * np.concatenate([[1.0], np.cumprod(1.0 + growth)])
    transfer_share = np.linspace(b("transfer_share_first"), b("transfer_share_last"), n)
    round_yuan = lambda x: np.floor(x / 1000.0 + 0.5) * 1000.0  # noqa: E731  (budgets are kept in thousands)
    return pd.DataFrame({
        "year": years.astype(np.int64),
        "fiscal_revenue_yuan": round_yuan(revenue),
        "compulsory_education_yuan": round_yuan(education),
        "transfer_yuan": round_yuan(education * transfer_share),
        "surcharge_yuan": round_yuan(revenue * b("surcharge_share_of_revenue")),
    })
