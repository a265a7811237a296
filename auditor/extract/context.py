"""The words around a figure: qualifiers and the interval they assert, change words."""

from __future__ import annotations

import re
from dataclasses import replace

from .counted import _counted, _metric
from .figure import Figure
from .vocabulary import Lexicon


def _with_context(sentence: str, figure: Figure, lex: Lexicon) -> Figure:
    start, end = figure.start, figure.end
    qualifier, lower, upper, change = figure.qualifier, figure.lower, figure.upper, figure.change
    if qualifier == "exact":
        before = lex.qualifier_before.search(sentence, max(0, start - 40), start)
        sign = lex.qualifier_sign.search(sentence, max(0, start - 4), start)
        after = lex.qualifier_after.match(sentence, end)
        if after and after.group("p") == "plus" and re.match(r"\s*plus\s+\d", sentence[end:]):
            after = None  # "5 plus 3" is arithmetic
        if after and lex.qualifier_after_map[after.group("p").lower()] != "approx":
            # "about 500 or more": the bound wins over the hedge
            qualifier, end = lex.qualifier_after_map[after.group("p").lower()], after.end("p")
            if before:
                start = before.start("p")
        elif before:
            qualifier, start = lex.qualifier_before_map[before.group("p").lower()], before.start("p")
        elif sign:
            qualifier, start = lex.qualifier_sign_map[sign.group("p")], sign.start("p")
        elif after:
            qualifier, end = lex.qualifier_after_map[after.group("p").lower()], after.end("p")
        lower, upper = _interval(qualifier, figure.value)
    if change is None:
        change = _change(sentence, start, end, figure.kind, lex)
    counted = figure.counted or _counted(sentence, end, figure, lex)
    metric = figure.metric or _metric(sentence, start, end, counted, lex)
    return replace(figure, start=start, end=end, qualifier=qualifier, lower=lower, upper=upper,
                   change=change, counted=counted, metric=metric)


def _interval(qualifier: str, value: float) -> tuple[float | None, float | None]:
    if qualifier in ("at_least", "more_than"):
        return value, None
    if qualifier in ("at_most", "less_than"):
        return None, value
    return value, value


_CHANGE_BY_RE = re.compile(r"\b(?P<w>[a-z]+)\s+(?:[a-z]+\s+){1,2}by\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+)?$")


def _change(sentence: str, start: int, end: int, kind: str, lex: Lexicon) -> str | None:
    before = lex.change_before.search(sentence, max(0, start - 60), start)
    if before and not (kind == "count" and before.group("w").lower() in ("up", "down")):
        return lex.change_map[before.group("w").lower()]
    by = _CHANGE_BY_RE.search(sentence, max(0, start - 60), start)
    if by and by.group("w").lower() in lex.change_map:
        return lex.change_map[by.group("w").lower()]
    sign = sentence[max(0, start - 1) : start]
    if kind == "percent" and sign in ("+", "-", "−") or kind == "percent" and sentence[start : start + 1] in "-−+":
        return "up" if "+" in (sign + sentence[start : start + 1]) else "down"
    if kind in ("percent", "money", "measure"):
        after = lex.change_after.match(sentence, end)
        if after and after.group("w").lower() not in ("up", "down") or after and re.match(r"\s*(?:up|down)\s*[,.;)]", sentence[end:]):
            return lex.change_map[after.group("w").lower()]
    return None
