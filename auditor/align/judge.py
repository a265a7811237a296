"""Judgement: the interval of values each claim asserts, in the base unit of its dimension.

Two claims are never compared as bare points. "at least 20" is [20, inf); "more than 20"
starts just above 20; "about 200,000" is widened by the approximation tolerance; a figure
written with decimals or a scale word stands for everything that rounds to it ("1.1bn" is
[1.05bn, 1.15bn], so "1.13bn" agrees). Measures are converted with pint to their base unit
("124 miles" and "200 km" land in metres); money keeps its currency as its dimension, so
pounds and dollars never meet. The settings come from rules/judgement.yaml, per metric.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache

import numpy as np
import pandas as pd

from ..intervals import interval
from ..ruleset import Rules

COUNT, PERCENT, AGE, MEASURE = "count", "percent", "age", "measure"
_FIRST_NUMBER = re.compile(r"\d[\d,]*(?:\.\d+)?")
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}$")


def judge_intervals(claims: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Columns dimension, lo, hi for every claim (a frame aligned on the claims' index)."""
    metrics = claims["metric"].fillna("").astype(str)
    counted_units = {str(u).lower() for u in (rules.judgement.get("alignment") or {}).get("count_units", [])}
    dims = [age_dimension(unit_dimension(u)) if m == AGE else (COUNT, 1.0) if u.lower() in counted_units else unit_dimension(u)
            for u, m in zip(claims["unit"].fillna("").astype(str), metrics)]
    rows = [
        claim_interval(value, lower, upper, qualifier, surface, metric, rules, str(dim).startswith(MEASURE))
        for value, lower, upper, qualifier, surface, metric, (dim, _) in zip(
            claims["value"], claims["lower"], claims["upper"], claims["qualifier"], claims["surface"],
            claims["metric"].fillna("").astype(str), dims,
        )
    ]
    factors = np.array([factor for _, factor in dims], dtype=float)
    lo = np.array([lo for lo, _ in rows], dtype=float) * factors
    hi = np.array([hi for _, hi in rows], dtype=float) * factors
    return pd.DataFrame({"dimension": [d for d, _ in dims], "lo": lo, "hi": hi}, index=claims.index)


def claim_interval(value, lower, upper, qualifier, surface, metric: str, rules: Rules, measure: bool = False) -> tuple[float, float]:
    """The closed interval a claim allows, in the claim's own unit (``measure``: a physical
    measure, whose whole numbers are rounded too)."""
    value = float(value)
    qualifier = qualifier if isinstance(qualifier, str) else "exact"
    slack = rounding_slack(value, surface, measure) if rules.metric_setting(metric, "honour_rounding") else 0.0
    if qualifier == "approx":
        slack = max(slack, float(rules.metric_setting(metric, "approx_tolerance")) * abs(value))
    return interval(qualifier, value, _number(lower, value), _number(upper, value), slack)


def rounding_slack(value: float, surface, measure: bool = False) -> float:
    """Half a unit of the last written digit, when the writer evidently rounded.

    Decimals always count ("9.1%" stands for 9.05 to 9.15); a whole number counts when a scale
    word or suffix multiplied it ("£46m" stands for 45.5m to 46.5m) or when it is a physical
    measure ("20 kilometers" is 19.5 to 20.5 km, so "12.5 miles" agrees; "136 days" and "four and
    a half months" agree), because no length or duration is exact, while "76 deaths" is a count.
    """
    match = _FIRST_NUMBER.search(str(surface))
    if not match and not measure:
        return 0.0
    written_text = match.group().replace(",", "") if match else f"{value:g}"
    if measure and not match:  # a measure in words: rounded to the digits its value has
        return 0.5 * 10 ** (-(len(written_text.split(".", 1)[1]) if "." in written_text else 0)) * (1 - 1e-9)
    written = float(written_text)
    scale = abs(value / written) if written else 1.0
    decimals = len(written_text.split(".", 1)[1]) if "." in written_text else 0
    if decimals == 0 and scale < 1.5 and not measure:  # plain whole number of a count: exact
        return 0.0
    # a hair under half a step: "1.1bn" and "1.2bn" must not meet at 1.15bn, which rounds to one of them
    return 0.5 * 10 ** (-decimals) * scale * (1 - 1e-9)


def age_dimension(dimension: tuple[str, float]) -> tuple[str, float]:
    """Ages are their own dimension, in years: "16" and "16 years" are one age, and an age is
    never shown as 504.9 million seconds. A bare count or a duration converts; any other unit
    stays as it was."""
    name, factor = dimension
    if name == COUNT:
        return AGE, 1.0
    if name == "measure:[time]":
        return AGE, factor / _measure_dimension("year")[1]
    return dimension


def unit_dimension(unit: str) -> tuple[str, float]:
    """(dimension, factor to its base unit). Counts, percents and each currency are their own."""
    if unit == "":
        return COUNT, 1.0
    if unit == "%":
        return PERCENT, 1.0
    if _CURRENCY_CODE.match(unit):
        return f"currency:{unit}", 1.0
    return _measure_dimension(unit)


@lru_cache(maxsize=None)
def _measure_dimension(unit: str) -> tuple[str, float]:
    """pint's dimensionality and base-unit factor; a unit pint does not know stands alone."""
    registry = _registry()
    try:
        quantity = registry.Quantity(1.0, unit.replace(" ", "_")).to_base_units()
        offset = registry.Quantity(0.0, unit.replace(" ", "_")).to_base_units().magnitude
    except Exception:  # pint raises several error types for unknown or ambiguous names
        return f"unit:{unit.lower()}", 1.0
    if offset:  # degrees Celsius/Fahrenheit: not a plain factor, compare only like with like
        return f"unit:{unit.lower()}", 1.0
    return f"measure:{quantity.dimensionality}", float(quantity.magnitude)


@lru_cache(maxsize=1)
def _registry():
    import pint

    return pint.UnitRegistry()


def _number(x, default: float) -> float:
    return default if x is None or (isinstance(x, float) and math.isnan(x)) or pd.isna(x) else float(x)
