"""Exports beside the HTML: claims and findings as CSV and JSONL (Parquet on request),
the Great Expectations validation results and the run summary as JSON.

JSONL is the faithful copy (the claim record of DESIGN.md, values as written). CSV is for
spreadsheets: list cells are joined with ";" and free text that a spreadsheet would run as a
formula ("=HYPERLINK(...)" in a hostile article) is prefixed with an apostrophe.
"""

from __future__ import annotations

import contextlib
import json
import math
from pathlib import Path

import pandas as pd

from ..errors import AuditorError

# free-text columns that come from articles or messages: never numbers, so safe to neutralise
FREE_TEXT_COLUMNS = ("sentence", "message", "explanation", "source", "counted", "attribution", "story", "title")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 5000  # rows converted at a time: the exports never hold a second copy of a whole table


def write_exports(out_dir: Path, claims: pd.DataFrame, findings: pd.DataFrame, summary: dict, validation: list, *, parquet: bool = False) -> list[str]:
    """Write every export into ``out_dir``; return the file names, for the overview's download list."""
    names = []
    for stem, table in (("claims", claims), ("findings", findings)):
        write_jsonl(out_dir / f"{stem}.jsonl", table)
        write_csv(out_dir / f"{stem}.csv", table)
        names += [f"{stem}.csv", f"{stem}.jsonl"]
        if parquet:
            write_parquet(out_dir / f"{stem}.parquet", table)
            names.append(f"{stem}.parquet")
    write_json(out_dir / "validation.json", validation)
    write_json(out_dir / "summary.json", summary)
    return names + ["validation.json", "summary.json"]


def write_table(target, table: pd.DataFrame, fmt: str) -> None:
    """Write a table as "jsonl" or "csv" to a path or an open text stream."""
    (write_csv if fmt == "csv" else write_jsonl)(target, table)


def write_jsonl(target, table: pd.DataFrame) -> None:
    """One JSON object a row, to a path or an open text stream; CHUNK rows at a time."""
    with _opened(target) as out:
        for start in range(0, len(table), CHUNK):
            for record in table.iloc[start:start + CHUNK].to_dict("records"):
                out.write(json.dumps({k: plain_value(v) for k, v in record.items()}, ensure_ascii=False, default=str) + "\n")


def write_csv(target, table: pd.DataFrame) -> None:
    """The table as CSV, CHUNK rows at a time: each value is written as it would be in one go."""
    with _opened(target) as out:
        for start in range(0, max(len(table), 1), CHUNK):
            _flat(table.iloc[start:start + CHUNK]).to_csv(out, index=False, header=start == 0)


def _flat(table: pd.DataFrame) -> pd.DataFrame:
    """List cells joined with ";", free text neutralised against spreadsheet formulas."""
    flat = table.copy(deep=False)
    for column in flat.columns:
        if flat[column].dtype == object and flat[column].map(_is_list).any():  # lists live only in object columns
            flat[column] = flat[column].map(lambda v: ";".join(map(str, plain_value(v))) if _is_list(v) else v)
        if column in FREE_TEXT_COLUMNS:
            flat[column] = flat[column].map(neutralise_formula)
    return flat


def write_parquet(path: Path, table: pd.DataFrame) -> None:
    try:
        import pyarrow  # noqa: F401 - only to give a clear message when it is missing
    except ImportError:
        raise AuditorError("--parquet needs pyarrow: pip install 'auditor[parquet]'") from None
    table.map(plain_value).to_parquet(path, index=False)


def write_json(path: Path, data) -> None:
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")


def neutralise_formula(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _opened(target):
    """An open text stream for a path (closed afterwards), or the stream itself (left open)."""
    if isinstance(target, (str, Path)):
        return open(target, "w", encoding="utf-8", newline="")
    return contextlib.nullcontext(target)


def _is_list(value) -> bool:
    return isinstance(value, (list, tuple)) or (hasattr(value, "tolist") and getattr(value, "ndim", 0) == 1)


def plain_value(value):
    """A JSON-ready Python value: NaN and infinities become null (an open bound), numpy becomes Python."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, (list, tuple)):
        return [plain_value(v) for v in value]
    return value
