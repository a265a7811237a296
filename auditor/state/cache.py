"""The check result as JSON, for the state file's ``result_parts`` cache: data, never code.

A pickle would run whatever the state file holds when it is loaded, so the state file would
have to be trusted like code; this format only ever builds DataFrames, lists and dicts.

The result is a sequence of parts, each a JSON text of its own (one row each in the state
file), so that no single text the size of the whole result is ever built, copied by SQLite
or decoded at once:

    part 0: {"format": 2,
             "findings": HEAD, "claims": HEAD,      # the CheckResult's DataFrames, without their columns
             "validation": [...]}                   # the GX results, already JSON dicts
    then one part per column, the findings' columns first: {"name": ..., **COLUMN}

    HEAD = {"length": rows, "index": null (0, 1, ...) | COLUMN, "columns": number of columns}
    COLUMN = {"dtype": "float64", "storage": null (or "python"/"pyarrow" for strings), "values": [...]}

Each column keeps its dtype (``str(dtype)``, and the storage of a string dtype), so a loaded
frame equals the saved one, dtypes included. Values are JSON (NaN and ±Infinity as Python's
json writes them); numpy scalars in object columns become Python scalars. Columns of other
dtypes (dates, categories) raise :class:`UnsupportedValue`: the result is then not cached.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

FORMAT = 2


class UnsupportedValue(TypeError):
    """The result holds something this format does not round-trip; do not cache it."""


@dataclass
class StoredResult:
    """A cached check result as plain tables: the findings and claims DataFrames and the validation
    records. The state layer names no stage's types; the check stage's CheckResult has these fields."""

    findings: object
    claims: object
    validation: list = field(default_factory=list)


def dump_parts(result) -> Iterator[str]:
    """A CheckResult as JSON texts: the head, then one per column (see the module docstring).

    A generator: each column is encoded only when the previous one has been taken. ASCII only
    (other characters escaped): one character held in memory takes two or four bytes as soon
    as the text has one outside Latin-1 (a curly quote), and SQLite would be handed a UTF-8
    copy on top. Raises :class:`UnsupportedValue` before the first part for a column it
    cannot hold.
    """
    encode = json.JSONEncoder(ensure_ascii=True, default=_scalar).encode
    frames = (result.findings, result.claims)
    for table in frames:  # fail before anything is written
        for _, series in table.items():
            _check_dtype(series.dtype)
    yield encode({"format": FORMAT, "findings": _head(result.findings), "claims": _head(result.claims), "validation": result.validation})
    for table in frames:
        for name, series in table.items():
            yield encode({"name": name, **_column(series)})


def load_parts(parts: Iterable[str]):
    """The result that :func:`dump_parts` wrote; an exception (ValueError, KeyError...) when it is not one."""
    parts = iter(parts)
    head = json.loads(next(parts))
    if not isinstance(head, dict) or head.get("format") != FORMAT:
        raise ValueError(f"not a check result in format {FORMAT}")
    findings = _unframe(head["findings"], parts)
    claims = _unframe(head["claims"], parts)
    if next(parts, None) is not None:
        raise ValueError("more parts than the result has columns")
    return StoredResult(findings=findings, claims=claims, validation=head["validation"])


def _head(table) -> dict:
    import pandas as pd

    index = table.index
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    return {"length": len(table), "index": None if default else _column(index), "columns": len(table.columns)}


def _check_dtype(dtype) -> None:
    import numpy as np
    import pandas as pd

    if not (isinstance(dtype, pd.StringDtype) or (isinstance(dtype, np.dtype) and dtype.kind in "biufO")):
        raise UnsupportedValue(f"cannot cache a column of dtype {dtype}")


def _column(values) -> dict:
    import pandas as pd

    dtype = values.dtype
    _check_dtype(dtype)
    if isinstance(dtype, pd.StringDtype):  # missing values as null, whichever missing marker the dtype uses
        return {"dtype": str(dtype), "storage": dtype.storage, "values": values.astype(object).where(values.notna(), None).tolist()}
    return {"dtype": str(dtype), "storage": None, "values": values.tolist()}


def _unframe(head: dict, parts: Iterator[str]):
    """A frame from its head and its columns' parts, decoded one at a time."""
    import pandas as pd

    index = _series(head["index"], None) if head["index"] is not None else pd.RangeIndex(head["length"])
    columns = {}
    for _ in range(head["columns"]):
        part = next(parts, None)
        if part is None:
            raise ValueError("fewer parts than the result has columns")
        column = json.loads(part)
        columns[column["name"]] = _series(column, index)
    return pd.DataFrame(columns, index=index)


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

