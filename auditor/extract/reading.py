"""Reading one number phrase: its value, sign, scale, currency before it and unit after it."""

from __future__ import annotations

import re
from dataclasses import replace

from .numbers import NUMBER_RE, VULGAR, parse_number
from .units import PERCENT_POINT, Unit, currency_before, suspended_hyphen, unit_after, with_rate
from .figure import NumberReading


# "-5", "(-3.2%)", "minus 4", a lone "- 5" only at the very start; "- - $ 75" is a dash
_NEGATIVE_RE = re.compile(r"(?:^[-−]\s?|(?<=[\s(])[-−]|(?<![\w-])(?:minus|negative)[\s-]+)$", re.IGNORECASE)
# "3 dollars 50 cents", "15 dollars and 50.", "thirteen dollars and forty-five cents"
_MINOR_AMOUNT_RE = re.compile(
    r"\s+(?:and\s+)?(?P<n>\d{1,2}|(?:[a-z]+-)?[a-z]+(?:\s(?!(?:cents?|c|sen|pence|p)\b)[a-z]+)?)(?:\s*(?:cents?|c|sen|pence|p)\b|(?=\s*[.,;!?]?\s*$))",
    re.IGNORECASE,
)
_OF_A_RE = re.compile(r"\s+of\s+an?\s+(?:(?:US|U\.S\.|imperial|metric)\s+)?", re.IGNORECASE)
_BELOW_ZERO_RE = re.compile(r"\s+below\s+zero\b", re.IGNORECASE)


def read_number(sentence: str, match: re.Match) -> NumberReading | None:
    """A number phrase with its currency or unit, or None when it is not a number."""
    start = match.start()
    currency = currency_before(sentence, start)
    money = currency is not None or _scale_letter(sentence, match)
    parsed = parse_number(match.group(0), money=money)
    if parsed is None:
        return None
    value, length = parsed
    raw_end = start + _money_length(match.group(0), length, money)
    end = start + length
    text = sentence[start:end]
    rules = [_number_rule(text)]
    plain_int = text.isdigit()
    has_scale = bool(_HAS_SCALE_RE.search(text))
    first = start
    if currency is not None:
        code, first = currency
        rules.append("unit.currency_before")
        unit = with_rate(sentence, Unit("money", code, end))
        after = unit_after(sentence, end)  # "$5 US dollars", "US$ 2.24 per mmBTU"
        if after is not None and after.kind == "money" and after.factor == 1.0:
            unit = with_rate(sentence, replace(after, unit=code))
    else:
        unit = unit_after(sentence, end)
        of_a = _OF_A_RE.match(sentence, end) if unit is None and 0 < value < 1 and re.search(r"\d[/⁄]", text) else None
        if of_a:  # "1/16 of a US pint": a share of one unit, like "half a mile"
            unit = unit_after(sentence, of_a.end() - 1)
            unit = unit if unit is not None and unit.kind == "measure" else None
            rules += ["unit.share_of_unit"] if unit is not None else []
        shared = suspended_hyphen(sentence, end) if unit is None else None
        if shared is not None:  # "7- or 8-inch": the unit of "8-inch", the surface stays "7"
            unit = unit_after(sentence, shared)
            unit = replace(unit, end=end) if unit is not None else None
            rules += ["unit.suspended_hyphen"] if unit is not None else []
    sign = _NEGATIVE_RE.search(sentence, max(0, first - 10), first)
    if sign:
        value, first = -value, sign.start()
        rules.append("number.negative")
    below = _BELOW_ZERO_RE.match(sentence, unit.end if unit else end)
    if below and value > 0:
        value = -value  # "2 degrees below zero"
        rules.append("unit.below_zero")
        unit = replace(unit, end=below.end()) if unit else Unit("measure", "degree", below.end())
    if unit is not None and unit.factor != 1.0:
        value *= unit.factor
    if unit is not None and unit.kind == "money" and " per " not in unit.unit and len(unit.unit) == 3:
        minor = _MINOR_AMOUNT_RE.match(sentence, unit.end)
        cents = parse_number(minor.group("n")) if minor else None
        if cents and cents[1] == len(minor.group("n")) and cents[0] < 100 and cents[0] == int(cents[0]):
            value += cents[0] / 100 * (1 if value >= 0 else -1)
            unit = replace(unit, end=minor.end())
            rules.append("unit.minor_amount")
    if unit is not None and currency is None:
        rules.append(_unit_rule(unit))
    if unit is not None and " per " in unit.unit:
        rules.append("unit.rate")
    return NumberReading(first, start, unit.end if unit else end, value, unit, plain_int, has_scale, tuple(rules), raw_end)


_MILLION_LETTER_RE = re.compile(r"\s*[mM](?![A-Za-z])")


def _money_length(phrase: str, length: int, money: bool) -> int:
    """The length digits_or_words gives the phrase (read with "m" as million), without parsing it twice:
    the readings differ only when an "m" follows what was read without money."""
    if money or not _MILLION_LETTER_RE.match(phrase, length):
        return length
    parsed = parse_number(phrase, money=True)
    return parsed[1] if parsed else length


def _number_rule(text: str) -> str:
    """How the number itself is written: the id of the NUMBER_RE reading that took it."""
    if text[:1].isdigit() or text[:1] == ".":
        if re.search(r"\d[/⁄]\d", text):
            return "number.fraction"
        if re.search(r"[eE^]|\d\s?[x×]\s?10", text):
            return "number.scientific"
        return "number.digits_scale" if _HAS_SCALE_RE.search(text) else "number.digits"
    if text[:1] in VULGAR:
        return "number.vulgar_fraction"
    return "number.words"


def _unit_rule(unit: Unit) -> str:
    """The id of the unit reading after a figure: percent, money word or unit of measure."""
    if unit.kind == "percent":
        return "unit.percentage_point" if unit.unit == PERCENT_POINT else "unit.percent"
    return "unit.currency_after" if unit.kind == "money" else "unit.measure"


_HAS_SCALE_RE = re.compile(
    r"(?i)\b(?:hundred|thousand|million|billion|trillion|lakhs?|crores?|dozens?)\b|\d\s?(?:k|m|b|bn|bln|mn|mln|tn|tln|trn)\b"
)
_SCALE_LETTER_RE = re.compile(r"\d(?:M|[mb](?=\s+(?!(?:tall|long|high|deep|wide|away|from|of|in|on|at|to|and|or)\b)[a-z]+))\b")


def _scale_letter(sentence: str, match: re.Match) -> bool:
    """"4.3M sales", "1.2m tons": million; "5m tall", "100m from": metres."""
    return bool(_SCALE_LETTER_RE.search(match.group(0)[-2:] + sentence[match.end() : match.end() + 16]))


def digits_or_words(sentence: str, start: int) -> str:
    match = NUMBER_RE.match(sentence, start)
    if not match:
        return ""
    parsed = parse_number(match.group(0), money=True)
    return match.group(0)[: parsed[1]] if parsed else match.group(0)
