"""Interval charts for the story pages, computed here and drawn by reports/templates/_chart.html.

The chart is plain geometry (numbers and short labels), so the template can emit inline SVG
with autoescape on: no JS library, no network, nothing marked safe. Each claim is drawn as
its judged interval (lo..hi) with a dot at the stated value; open-ended intervals ("at least
20") run to the edge of the plot and end in an arrow. Claims are placed in columns by
publication date; the reference figure, when there is one, is a dashed line or a band.
"""

from __future__ import annotations

import math

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 14, 46  # margins: room for y tick labels and date labels
# Okabe-Ito colours (darkened where needed for 3:1 against white), told apart with common colour-vision deficiencies
MAX_MARKS = 240  # marks per chart before claims are summarised (see summarised)
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#8C6D00", "#6A3D9A", "#000000")


class Attrs(dict):
    """A dict whose keys read as attributes too. Jinja tries attribute access first, so for the
    views rendered once per claim this is several times faster than a plain dict's fallback."""

    def __getattr__(self, name):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None


def source_colours(sources: list[str]) -> dict[str, str]:
    """One colour per source, stable within a story page (the legend and every chart agree)."""
    return {source: PALETTE[i % len(PALETTE)] for i, source in enumerate(sources)}


def interval_chart(rows: list[dict], references: list[dict], colours: dict[str, str], unit: str = "") -> dict | None:
    """Geometry for one metric group; rows carry date_key/label, source_label, dot (the stated
    value), lo, hi, interval, figure and disputed (see report.claim_row)."""
    claims, rows = len(rows), summarised(rows)
    values = [v for r in rows for v in (r["dot"], r["lo"], r["hi"]) if _finite(v)]
    values += [v for ref in references for v in (ref["value"], ref["lower"], ref["upper"]) if _finite(v)]
    if not values:
        return None
    ticks, (bottom, top) = nice_ticks(min(values), max(values), whole=not unit and all(float(v).is_integer() for v in values))
    plot = {"x0": LEFT, "x1": WIDTH - RIGHT, "y0": TOP, "y1": HEIGHT - BOTTOM}

    def y(v: float) -> float:
        return round(plot["y1"] - (v - bottom) / (top - bottom) * (plot["y1"] - plot["y0"]), 1)

    bands = _date_bands(rows, plot)
    marks = []
    for band in bands:
        for i, row in enumerate(band["rows"]):
            x = round(band["x0"] + band["width"] * (i + 1) / (len(band["rows"]) + 1), 1)
            value = row["dot"] if _finite(row["dot"]) else None
            lo = row["lo"] if _finite(row["lo"]) else bottom
            hi = row["hi"] if _finite(row["hi"]) else top
            marks.append(Attrs({
                "x": x,
                "y_lo": y(max(lo, bottom)),
                "y_hi": y(min(hi, top)),
                "open_lo": not _finite(row["lo"]),
                "open_hi": not _finite(row["hi"]),
                "y_value": y(value) if value is not None else None,
                "colour": colours.get(row["source_label"], PALETTE[0]),
                "disputed": row["disputed"],
                "title": f"{row['source_label']}, {row['date_label']}: {row['figure']} ({row['interval']})",
            }))
    return {
        "width": WIDTH,
        "height": HEIGHT,
        "plot": plot,
        "yticks": [{"y": y(t), "label": compact_number(t, unit)} for t in ticks],
        "xlabels": [{"x": round(b["x0"] + b["width"] / 2, 1), "label": b["label"]} for b in _thin(bands)],
        "separators": [round(b["x0"], 1) for b in bands[1:]],
        "columns": len(bands),
        "summarised": len(rows) < claims,
        "marks": marks,
        "references": [_reference_mark(ref, y, bottom, top, unit) for ref in references if _finite(ref["value"])],
    }


def summarised(rows: list[dict]) -> list[dict]:
    """At most MAX_MARKS marks: a big group is drawn as one mark per source and day (then per
    source and month, then per source), spanning its claims' intervals, so the SVG stays small."""
    for period in (10, 7, 0):  # characters of the ISO date kept: day, month, none
        if len(rows) <= MAX_MARKS:
            return rows
        merged: dict[tuple, list[dict]] = {}
        for row in rows:
            merged.setdefault((row["date_key"][:period], row["source_label"]), []).append(row)
        rows = [_merge(date, members) for (date, _), members in merged.items()]
    return rows


def _merge(date: str, members: list[dict]) -> dict:
    if len(members) == 1:
        return {**members[0], "date_key": date, "date_label": date or members[0]["date_label"]}
    dots = sorted(m["dot"] for m in members if _finite(m["dot"]))
    lo, hi = min(m["lo"] for m in members), max(m["hi"] for m in members)
    return {
        "source_label": members[0]["source_label"],
        "date_key": date,
        "date_label": date or "all dates",
        "dot": dots[len(dots) // 2] if dots else math.nan,  # the median stated figure
        "lo": lo,
        "hi": hi,
        "disputed": any(m["disputed"] for m in members),
        "figure": f"{len(members)} claims",
        "interval": f"{compact_number(lo) if _finite(lo) else '-inf'} to {compact_number(hi) if _finite(hi) else 'inf'}",
    }


def nice_ticks(low: float, high: float, count: int = 4, whole: bool = False) -> tuple[list[float], tuple[float, float]]:
    """Round tick values covering [low, high] and the padded domain they span; ``whole``: the
    values are counts, so ticks are whole numbers too (20 and 21 boats get no tick at 20.25)."""
    if math.isclose(low, high, rel_tol=1e-9, abs_tol=1e-12):  # 12 and 12.000000000000002 are one value too
        pad = abs(low) * 0.1 or 1.0
        pad = max(1.0, round(pad)) if whole else pad
        low, high = low - pad, high + pad
    span = high - low
    raw = max(span / count, 1.0) if whole else span / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw and (not whole or float(m * magnitude).is_integer()))
    first = math.floor(low / step) * step
    last = math.ceil(high / step) * step
    if first == low:
        first -= step  # keep marks off the frame: the bottom edge is where open intervals end
    if last == high:
        last += step
    ticks = [first + i * step for i in range(int(round((last - first) / step)) + 1)]
    return ticks, (first, last)


def compact_number(value: float, unit: str = "") -> str:
    """Short axis label: 200000 -> 200k, 3e9 -> 3bn, with % or the currency code."""
    for size, suffix in ((1e12, "tn"), (1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            text = f"{value / size:.3g}{suffix}"
            break
    else:
        text = f"{value:.3g}"
    if unit == "%":
        return text + "%"
    return f"{text} {unit}" if unit else text


def _date_bands(rows: list[dict], plot: dict) -> list[dict]:
    """One column per publication date, undated claims last, each claim its own slot in it."""
    by_date: dict[str, list[dict]] = {}
    for row in sorted(rows, key=lambda r: (r["date_key"] == "", r["date_key"], r["source_label"])):
        by_date.setdefault(row["date_label"], []).append(row)
    width = (plot["x1"] - plot["x0"]) / max(1, len(by_date))
    return [
        {"label": label, "rows": members, "x0": plot["x0"] + i * width, "width": width}
        for i, (label, members) in enumerate(by_date.items())
    ]


def _thin(bands: list[dict], most: int = 8) -> list[dict]:
    """At most ``most`` date labels so they never overlap; the first and last always shown."""
    if len(bands) <= most:
        return bands
    step = math.ceil(len(bands) / most)
    return [b for i, b in enumerate(bands) if i % step == 0 or i == len(bands) - 1]


def _reference_mark(ref: dict, y, bottom: float, top: float, unit: str) -> dict:
    clamp = lambda v: min(max(v, bottom), top)  # noqa: E731 - a one-line helper reads best here
    has_band = _finite(ref["lower"]) and _finite(ref["upper"])
    where = ", ".join(str(part) for part in (ref["source"], ref["date"]) if part)
    label = f"reference {compact_number(ref['value'], unit)}" + (f" ({where})" if where else "")
    return {
        "y": y(clamp(ref["value"])),
        "band": has_band,
        "y_top": y(clamp(ref["upper"])) if has_band else None,
        "y_bottom": y(clamp(ref["lower"])) if has_band else None,
        "label": label,
    }


def _finite(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
