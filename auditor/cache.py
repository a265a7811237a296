"""The check result as JSON, for the state file's ``results`` cache: data, never code.

A pickle would run whatever the state file holds when it is loaded, so the state file would
have to be trusted like code; this format only ever builds DataFrames, lists and dicts.

    {"format": 1,
     "findings": FRAME, "claims": FRAME,      # the CheckResult's DataFrames
     "validation": [...]}                      # the GX results, already JSON dicts

    FRAME = {"length": rows, "index": null (0, 1, ...) | COLUMN, "columns": [{"name": ..., **COLUMN}, ...]}
    COLUMN = {"dtype": "float64", "storage": null (or "python"/"pyarrow" for strings), "values": [...]}

Each column keeps its dtype (``str(dtype)``, and the storage of a string dtype), so a loaded
frame equals the saved one, dtypes included. Values are JSON (NaN and ±Infinity as Python's
json writes them); numpy scalars in object columns become Python scalars. Columns of other
dtypes (dates, categories) raise :class:`UnsupportedValue`: the result is then not cached.
"""

from __future__ import annotations

import json

FORMAT = 1


class UnsupportedValue(TypeError):
    """The result holds something this format does not round-trip; do not cache it."""


def dumps_result(result) -> str:
    """A CheckResult as JSON text.

    The same text as ``json.dumps`` of the whole structure, encoded a column at a time: the
    encoder keeps every value and separator as a small string of its own until the end, which
    for the 59,000 claims of the 4x batch benchmark peaked at six times the text (~175 MB).
    ASCII only (other characters escaped): one character held in memory takes two or four
    bytes as soon as the text has one outside Latin-1 (a curly quote), and SQLite would be
    handed a UTF-8 copy on top.
    """
    encode = json.JSONEncoder(ensure_ascii=True, default=_scalar).encode
    return "".join([
        '{"format": ', encode(FORMAT),
        ', "findings": ', *_frame_text(result.findings, encode),
        ', "claims": ', *_frame_text(result.claims, encode),
        ', "validation": ', encode(result.validation), "}",
    ])


def _frame_text(table, encode) -> list[str]:
    """``encode(_frame(table))``, one piece per column."""
    head = _frame(table.iloc[:, :0])
    pieces = [f'{{"length": {encode(len(table))}, "index": {encode(head["index"])}, "columns": [']
    pieces += [(", " if i else "") + encode({"name": name, **_column(series)}) for i, (name, series) in enumerate(table.items())]
    return pieces + ["]}"]


def loads_result(text: str):
    """The CheckResult that :func:`dumps_result` wrote; an exception (ValueError, KeyError...) when it is not one."""
    from .check import CheckResult

    data = json.loads(text)
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ValueError(f"not a check result in format {FORMAT}")
    return CheckResult(findings=_unframe(data["findings"]), claims=_unframe(data["claims"]), validation=data["validation"])


def _frame(table) -> dict:
    import pandas as pd

    index = table.index
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    return {
        "length": len(table),
        "index": None if default else _column(index),
        "columns": [{"name": name, **_column(series)} for name, series in table.items()],
    }


def _column(values) -> dict:
    import numpy as np
    import pandas as pd

    dtype = values.dtype
    if isinstance(dtype, pd.StringDtype):  # missing values as null, whichever missing marker the dtype uses
        return {"dtype": str(dtype), "storage": dtype.storage, "values": values.astype(object).where(values.notna(), None).tolist()}
    if isinstance(dtype, np.dtype) and dtype.kind in "biufO":
        return {"dtype": str(dtype), "storage": None, "values": values.tolist()}
    raise UnsupportedValue(f"cannot cache a column of dtype {dtype}")


def _unframe(data: dict):
    import pandas as pd

    index = _series(data["index"], None) if data["index"] is not None else pd.RangeIndex(data["length"])
    return pd.DataFrame({column["name"]: _series(column, index) for column in data["columns"]}, index=index)


def _series(column: dict, index):
    import numpy as np
    import pandas as pd

    values, name, storage = column["values"], column["dtype"], column["storage"]
    if storage is not None:  # pandas' string dtypes: "str" marks missing values NaN, "string" NA
        dtype = pd.StringDtype(storage, na_value=np.nan if name == "str" else pd.NA)
    else:
        dtype = np.dtype(name)
    if dtype == object:
        array = np.empty(len(values), dtype=object)  # filled one by one: lists of equal length stay lists
        for i, value in enumerate(values):
            array[i] = value
    else:
        array = values
    return pd.Index(array, dtype=dtype) if index is None else pd.Series(array, index=index, dtype=dtype, copy=False)


def _scalar(value):
    """numpy scalars in object columns (np.bool_, np.int64) as the Python scalars they hold."""
    if hasattr(value, "item") and not hasattr(value, "__len__"):
        item = value.item()
        if isinstance(item, (bool, int, float, str)) or item is None:
            return item
    raise UnsupportedValue(f"cannot cache a value of type {type(value).__name__}")

