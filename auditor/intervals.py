"""What a qualifier asserts about a figure: the one place its bounds are worked out.

The claim record keeps the bounds as written (``stated_bounds``: "at least 20" -> 20, None);
judgement and the report need a closed interval with open ends as infinities (``interval``:
"at least 20" -> [20, inf), "more than 20" starts just above 20), optionally widened by a slack
(rounding, or the tolerance of an approximate figure).
"""

from __future__ import annotations

import math

LOWER_BOUNDS = ("at_least", "more_than")  # the figure is the least value the claim allows
UPPER_BOUNDS = ("at_most", "less_than")  # the figure is the greatest


def stated_bounds(qualifier: str, value: float, lower=None, upper=None) -> tuple[float | None, float | None]:
    """(lower, upper) as the claim record holds them: None where the words leave that end open;
    a range keeps the bounds it was read with."""
    if qualifier in LOWER_BOUNDS:
        return value, None
    if qualifier in UPPER_BOUNDS:
        return None, value
    if qualifier == "range":
        return lower, upper
    return value, value


def interval(qualifier: str, value: float, lower: float, upper: float, slack: float = 0.0) -> tuple[float, float]:
    """The closed interval [lo, hi] a claim allows, each stated end widened by ``slack``; "more than"
    and "less than" exclude their bound. ``lower`` and ``upper`` are the record's bounds (for a bound
    or a range); an exact or approximate figure spans ``value`` +/- ``slack``."""
    if qualifier == "at_least":
        return lower - slack, math.inf
    if qualifier == "more_than":
        return math.nextafter(lower - slack, math.inf), math.inf
    if qualifier == "at_most":
        return -math.inf, upper + slack
    if qualifier == "less_than":
        return -math.inf, math.nextafter(upper + slack, -math.inf)
    if qualifier == "range":
        return lower - slack, upper + slack
    return value - slack, value + slack
