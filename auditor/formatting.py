"""How a figure is written for a reader: the one number formatter of the report and the findings."""

from __future__ import annotations

import math

# (size, how the table writes it, how a sentence writes it)
SCALES = ((1e12, "tn", " trillion"), (1e9, "bn", " billion"), (1e6, "m", " million"))


def number_text(value, prose: bool = False) -> str:
    """A figure as a newspaper writes it; in a table, blank when missing or not finite.

    In a table (the default) "3bn", "2.9995bn" (five significant digits: enough to tell rounding
    intervals apart), "200,000", "0.05"; in a sentence (``prose``, the findings' messages)
    "3 billion", "11.05 billion" (six significant digits), "200,000", "0.05".
    """
    if prose:
        return next((f"{value / size:,.6g}{words}" for size, _, words in SCALES if abs(value) >= size), f"{value:,.6g}")
    if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
        return ""
    for size, short, _ in SCALES:
        if abs(value) >= size:
            return f"{value / size:.5g}{short}"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4f}".rstrip("0").rstrip(".")
