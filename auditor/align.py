"""Align: give every claim a story and a group of claims about the same thing.

A story is the input's `story` field, or the document itself when none is given.
A group is (story, metric, unit): claims that talk about the same figure. The
interval each claim asserts (its qualifier widened by the judgement rules) is
computed here too, so the check stage only compares columns.
"""

from __future__ import annotations

import math

import pandas as pd

from .rules import Rules


def align_claims(claims: pd.DataFrame, rules: Rules) -> pd.DataFrame:
    """Return a copy of ``claims`` with story_id, group_id and the judged interval (lo, hi)."""
    aligned = claims.copy()
    aligned["story_id"] = aligned["story"].where(aligned["story"].notna(), aligned["doc_id"]).astype(str)
    metric = aligned["metric"].fillna(aligned["counted"]).fillna("").astype(str)
    unit = aligned["unit"].fillna("").astype(str)
    aligned["group_id"] = aligned["story_id"] + "|" + metric + "|" + unit
    intervals = [claim_interval(row, rules) for row in aligned.itertuples(index=False)]
    aligned["lo"] = [lo for lo, _ in intervals]
    aligned["hi"] = [hi for _, hi in intervals]
    return aligned


def claim_interval(claim, rules: Rules) -> tuple[float, float]:
    """The closed interval of values a claim allows, after tolerance and rounding."""
    value = float(claim.value)
    metric = claim.metric or ""
    qualifier = claim.qualifier or "exact"
    if qualifier == "approx":
        tolerance = float(rules.metric_setting(metric, "approx_tolerance")) * abs(value)
        return value - tolerance, value + tolerance
    if qualifier in ("at_least", "more_than"):
        return _num(claim.lower, value), math.inf
    if qualifier in ("at_most", "less_than"):
        return -math.inf, _num(claim.upper, value)
    if qualifier == "range":
        return _num(claim.lower, value), _num(claim.upper, value)
    half = rounding_half_step(claim.surface) if rules.metric_setting(metric, "honour_rounding") else 0.0
    return value - half * _scale(value, claim.surface), value + half * _scale(value, claim.surface)


def rounding_half_step(surface: str) -> float:
    """Half a unit of the last written decimal ("1.1bn" -> 0.05), 0 for plain integers."""
    digits = "".join(ch for ch in str(surface) if ch.isdigit() or ch == ".")
    if "." not in digits:
        return 0.0
    decimals = len(digits.rsplit(".", 1)[1])
    return 0.5 * 10 ** (-decimals)


def _scale(value: float, surface: str) -> float:
    """The scale the surface applied ("1.1bn" -> 1e9), recovered from value / written number."""
    written = "".join(ch for ch in str(surface) if ch.isdigit() or ch == ".").strip(".")
    try:
        base = float(written)
    except ValueError:
        return 1.0
    return abs(value / base) if base else 1.0


def _num(x, default: float) -> float:
    return default if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
