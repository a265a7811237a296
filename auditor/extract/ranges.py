"""Two figures joined into one range ("10-15", "between 10 and 15", "from $3m to $5m")."""

from __future__ import annotations

import re
from dataclasses import replace

from .numbers import NUMBER_RE
from .figure import Figure, NumberReading
from .filters import sentence_words
from .reading import read_number
from .units import currency_ahead
from .vocabulary import Lexicon


_BETWEEN_RE = re.compile(r"\b(?:between|from|range(?:s|d)?(?:\s+from)?|ranging(?:\s+from)?)\s+$", re.IGNORECASE)


def as_range(sentence: str, first: Figure, number: NumberReading, lex: Lexicon) -> Figure | None:
    """"10-15", "between 10 and 15", "5 to 7 per cent", "from $3m to $5m" (a change)."""
    joiner = lex.range_joiner.match(sentence, first.end)
    if not joiner:
        return None
    word = joiner.group(0).split()[0].lower() if joiner.group(0).split() else ""
    word = word[0] if word and word[0] in "-–—~" else word
    lead = _BETWEEN_RE.search(sentence, max(0, number.start - 20), number.start)
    lead_word = lead.group(0).split()[0].lower() if lead else ""
    if word == "and" and lead_word != "between" or word == "up" and lead_word != "from":
        return None
    if word == "or" and (number.unit is not None or first.kind != "count"):
        return None
    second_match = NUMBER_RE.match(sentence, joiner.end()) or _after_currency(sentence, joiner.end())
    if second_match is None:
        return None
    second = read_number(sentence, second_match)
    if second is None or second.value is None:
        return None
    if word == "or" and second.start != second.num_start:
        return None  # "8 or $9": the second figure has a currency sign of its own, as in "$8 or $9": alternatives
    if word == "or" and number.has_scale and _scale_of(sentence[number.num_start : number.end]) != _scale_of(sentence[second.num_start : second.end]):
        return None  # "10 bln or 10 tln": each side has its own, different scale: alternatives, not a range
    if second.value < 0 and word in "-–—":
        second = replace(second, value=-second.value, start=second.num_start)  # "2 -7 g": the dash joins
    low, high = number.value, second.value
    if _money_scale_letter(sentence, number, second):
        high, second = high * _scale_of(sentence[second.num_start : second.end]), replace(second, unit=number.unit)
    scale = _scale_of(sentence[second.num_start : second.end])
    if scale > 1 and not number.has_scale and _scale_of(sentence[number.num_start : number.end]) == 1 and low < high:
        if low * scale <= high:
            low *= scale  # "5 to 7 million", "four to five thousand", "$140-150MM"
    if number.unit is not None and second.unit is None and number.start == number.num_start:
        return None  # "fell 0.4 per cent to 13176": a level after a change, not a range
    unit = second.unit or number.unit
    if number.unit and second.unit and _base(number.unit.unit) != _base(second.unit.unit):
        return None
    if first.kind == "count" and word in "-–—" and (_is_score(sentence, low, high, lex) or lex.record_after.match(sentence, second.end)):
        return None
    kind = unit.kind if unit else "count"
    unit_name = unit.unit if unit else ""
    if number.unit is None and second.unit is not None and second.unit.factor != 1.0:
        low *= second.unit.factor
    start = lead.start() if lead else first.start
    if lead_word == "from" and lex.change_before.search(sentence[max(0, start - 40) : start]):
        change = "up" if high > low else "down" if high < low else None
        return Figure(start, second.end, high, high, high, "exact", change, unit_name, kind)
    if low > high:
        return None
    return Figure(start, second.end, (low + high) / 2, low, high, "range", None, unit_name, kind)


def _money_scale_letter(sentence: str, number, second) -> bool:
    """"$2m-3m", "£5bn-6bn": the second figure's scale letter read as a unit ("3m" as metres) is the
    scale the sum of money before it has too."""
    if number.unit is None or number.unit.kind != "money" or second.unit is None or second.unit.kind != "measure":
        return False
    first_scale = _scale_of(sentence[number.num_start : number.end])
    return first_scale > 1 and _scale_of(sentence[second.num_start : second.end]) == first_scale


def _base(unit: str) -> str:
    return unit.split(" per ")[0]


def _after_currency(sentence: str, pos: int):
    """The second figure of a range when a currency symbol of rules/currencies.yaml comes first ("and $US171m")."""
    start = currency_ahead(sentence, pos)
    return NUMBER_RE.match(sentence, start) if start is not None else None


# the scale right after a figure's digits or number words, whatever unit follows ("7 million
# dollars", "150MM", "five thousand")
_SCALE_AFTER_DIGITS_RE = re.compile(
    r"(?:[\d.,]+|[a-z-]+)\s*(hundred|thousand|million|billion|trillion|bn|bln|mn|mln|mm|m|k|tn|tln|trn)(?![a-z])", re.IGNORECASE)


def _scale_of(text: str) -> float:
    """The multiplier of a range's figure ("7 million" -> 1e6, "150MM" -> 1e6), else 1."""
    from .numbers import SCALES, SUFFIXES, MONEY_SUFFIXES

    match = _SCALE_AFTER_DIGITS_RE.match(text)
    if not match:
        return 1.0
    word = match.group(1)
    return SCALES.get(word.lower()) or SUFFIXES.get(word) or SUFFIXES.get(word.upper() if word.lower() == "mm" else word) or MONEY_SUFFIXES.get(word) or 1.0


def _is_score(sentence: str, low: float, high: float, lex: Lexicon) -> bool:
    if low > 20 or high > 20 or low != int(low) or high != int(high):
        return False
    return bool(sentence_words(sentence) & lex.score_words)
