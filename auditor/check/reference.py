"""Reference figures: official counts a story's claims are checked against (--reference FILE).

CSV with the columns story, metric, value and optionally date, source, unit, lower, upper.
A reference asserts an interval too: [lower, upper] when given, else the value itself, in
the base unit of its dimension (an empty unit is a plain count). A malformed file is a user
error naming the file and the line, raised before any work is done.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import AuditorError
from ..align.judge import unit_dimension

REQUIRED = ("story", "metric", "value")
OPTIONAL = ("date", "source", "unit", "lower", "upper")
REFERENCE_COLUMNS = (*REQUIRED, *OPTIONAL, "dimension", "ref_lo", "ref_hi")


def load_reference(path: str | Path | None) -> pd.DataFrame | None:
    """The reference table with its judged interval (dimension, ref_lo, ref_hi), or None."""
    if path is None:
        return None
    path = Path(path)
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise AuditorError(f"{path}: cannot read reference CSV ({str(exc).strip().splitlines()[0]})") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise AuditorError(f"{path}:1: reference CSV lacks column(s): {', '.join(missing)}")
    for column in OPTIONAL:
        if column not in table.columns:
            table[column] = ""
    for column in ("value", "lower", "upper"):
        table[column] = _numbers(table[column], path, column)
    return with_intervals(table)


def with_intervals(table: pd.DataFrame) -> pd.DataFrame:
    """Add dimension, ref_lo, ref_hi: the interval each reference row asserts, in base units."""
    table = table.copy()
    table["story"] = table["story"].astype(str).str.strip()
    table["metric"] = table["metric"].astype(str).str.strip()
    table["unit"] = table["unit"].fillna("").astype(str).str.strip()
    dims = [unit_dimension(u) for u in table["unit"]]
    factor = np.array([f for _, f in dims], dtype=float)
    table["dimension"] = [d for d, _ in dims]
    table["ref_lo"] = table["lower"].fillna(table["value"]).astype(float) * factor
    table["ref_hi"] = table["upper"].fillna(table["value"]).astype(float) * factor
    return table[list(REFERENCE_COLUMNS)]


def _numbers(column: pd.Series, path: Path, name: str) -> pd.Series:
    """Parse a numeric column; the first bad cell is reported with its line (header is line 1)."""
    text = column.astype(str).str.replace(",", "", regex=False).str.strip()
    numbers = pd.to_numeric(text.where(text != "", None), errors="coerce")
    bad = numbers.isna() & (text != "")
    if name == "value":
        bad |= text == ""
    if bad.any():
        row = int(np.flatnonzero(bad.to_numpy())[0])
        raise AuditorError(f"{path}:{row + 2}: reference {name} is not a number: {column.iloc[row]!r}")
    return numbers.astype(float)
