"""The words around a figure: qualifiers and the interval they assert, change words."""

from __future__ import annotations

import re
from dataclasses import replace

from ..intervals import stated_bounds
from .alternation import trie_alternation
from .counted import counted_phrase, metric_of
from .figure import Figure
from .vocabulary import Lexicon


def with_context(sentence: str, figure: Figure, lex: Lexicon) -> Figure:
    start, end = figure.start, figure.end
    qualifier, lower, upper, change = figure.qualifier, figure.lower, figure.upper, figure.change
    if qualifier == "exact":
        before = lex.qualifier_before.search(sentence, max(0, start - 40), start)
        sign = lex.qualifier_sign.search(sentence, max(0, start - 4), start)
        after = lex.qualifier_after.match(sentence, end)
        if after and after.group("p") == "plus" and re.compile(r"\s*plus\s+\d").match(sentence, end):
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
        lower, upper = stated_bounds(qualifier, figure.value)
    rules = [f"qualifier.{qualifier}"] if qualifier != figure.qualifier else []
    if change is None:
        change, rule = _change(sentence, start, end, figure.kind, lex)
        rules += [rule] if rule else []
    counted = figure.counted or counted_phrase(sentence, end, figure, lex)
    rules += ["counted.noun_after"] if counted and not figure.counted else []
    metric = figure.metric or metric_of(sentence, start, end, counted, lex)
    if metric and not figure.metric:
        rules.append("metric.taxonomy" if metric in lex.metric_names else "metric.counted_noun")
    return replace(figure, start=start, end=end, qualifier=qualifier, lower=lower, upper=upper,
                   change=change, counted=counted, metric=metric,
                   rules=figure.rules + tuple(r for r in rules if r not in figure.rules))


# "grow sales by 35%", "cut the rate by half a point": a change verb, one or two words of object, "by"
_CHANGE_BY_RE = re.compile(r"(?P<words>(?:\b[a-z]+\s+){2,3})by\s+(?:about\s+|around\s+|nearly\s+|almost\s+|some\s+)?$")


# words of change_words that are no verb: "up to 50" is a bound, "growth to 3%" names no move
_NOT_VERBS = {"up", "down", "higher", "lower", "growth", "improvement", "reduction", "contraction"}
_CHANGE_TO_CACHE: dict[int, re.Pattern] = {}


def _change_to_re(lex: Lexicon) -> re.Pattern:
    """"climbed to 6.7%", "fell to 49.55 Hz", "dipped down to -130F": the new level, reached by a move."""
    if id(lex) not in _CHANGE_TO_CACHE:
        alt = trie_alternation((w for w in lex.change_map if w not in _NOT_VERBS), casefold=True)
        _CHANGE_TO_CACHE[id(lex)] = re.compile(rf"\b(?P<w>{alt})\s+(?:(?:up|down)\s+)?to\s+$", re.IGNORECASE)
    return _CHANGE_TO_CACHE[id(lex)]


_UP_DOWN_AFTER_RE = re.compile(r"\s*(?:(up)|down)\s*[,.;)]")


def _change(sentence: str, start: int, end: int, kind: str, lex: Lexicon) -> tuple[str | None, str | None]:
    """The change a figure asserts and the id of the reading that found it."""
    before = lex.change_before.search(sentence, max(0, start - 60), start)
    if before and not (kind == "count" and before.group("w").lower() in ("up", "down")):
        return lex.change_map[before.group("w").lower()], "change.word_before"
    # both patterns below need a literal word in the window ("by", "to"): a plain find rules most out
    by = _CHANGE_BY_RE.search(sentence, max(0, start - 60), start) if "by" in sentence[max(0, start - 60) : start] else None
    verb = by and next((w for w in by.group("words").lower().split()[:-1] if w in lex.change_map), None)
    if verb:
        return lex.change_map[verb], "change.verb_by"
    window = sentence[max(0, start - 40) : start]
    to = _change_to_re(lex).search(sentence, max(0, start - 40), start) if "to" in window.lower() else None
    if to:
        return lex.change_map[to.group("w").lower()], "change.verb_to"
    sign = sentence[max(0, start - 1) : start]
    if kind == "percent" and sign in ("+", "-", "−") or kind == "percent" and sentence[start : start + 1] in "-−+":
        return "up" if "+" in (sign + sentence[start : start + 1]) else "down", "change.sign"
    move = _UP_DOWN_AFTER_RE.match(sentence, end) if kind in ("percent", "money", "measure") else None
    if move:
        return "up" if move.group(1) else "down", "change.up_down_after"  # "shares were 5% up."
    return None, None  # a noun or adverb after the figure ("a 3% drop", "34% higher") is no change
