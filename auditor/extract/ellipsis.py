"""Units a figure takes from its clause when none is written right after it.

Elided units: a bare figure that continues a comparison takes the unit of the figure before it.

"The highest forecast is 84.75 cents, while the lowest is 74.07" (cent), "435 homes by open
sale and 187 by tender" (homes), "a minus-1.4 degree launch angle in 2018 and 2.1 last year"
(degree), "rose 64.06 points to 4,577.10" (point). News drops the unit of the second figure
when it is the same as the first one's; reading it as a bare count would make the checker
compare 74.07 cents with a count.

Also: a count with a rate is a rate of what it counts ("3,000 tests per day" -> "test per
day", "an average of 20 per week" after "22 burglaries" -> "burglary per week"); "a pick or
two" counts picks; "between 50 and 70 on the GPa scale" is in GPa; a bare whole number after
"life expectancy is", "he will be" or "she turned" is an age (unit year, counted age).
"""

from __future__ import annotations

import re
from dataclasses import replace

from .units import Unit, unit_after, with_rate
from .counted import IRREGULAR_PLURALS, metric_of, singular, head_noun
from .figure import LOOKBACK_FIGURES, LOOKBEHIND, Figure
from .vocabulary import Lexicon

# a share written as a ratio or fraction ("one in five", "a third") is not a bare figure
_SHARE_RE = re.compile(r"(?i)\b(?:in|of|out|half|halves|thirds?|quarters?|fourths?|fifths?|tenths?)\b|/|⁄")
# what may stand between the two figures: the same clause or a parallel one, not a new
# sentence part that starts a different subject ("; the company also employs 40")
_BREAK_RE = re.compile(r"[;:!?()]|\.\s")
# a figure after "to"/"at" following a percent is a level, not another percent ("climbed 0.1%
# to 1,333.18"); "down 2% but fell by 1" keeps the percent
_LEVEL_AFTER_RE = re.compile(r"(?i)\b(?:to|at|of|from)\s*$")
# the second figure follows within a short clause ("84.75 cents, while the lowest is 74.07")
_MAX_GAP_WORDS = 8
# ages and ranks are bare on purpose: "aged 30-39", "children under 18", "Agassi, now 34", "numbers 19 and 10"
_AGE_BEFORE_RE = re.compile(r"(?i)\b(?:aged?|ages|under|over|now|numbers?|no\.)\s+(?:\w+\s+)?$")
# "one" is as often a pronoun ("one like I've never seen"); "under 18" is an age
_PRONOUN_OR_AGE_RE = re.compile(r"(?i)\bone$|^(?:under|over)\b")
_AT_RE = re.compile(r"(?i)\bat\s*$")
# a counted noun carries over only to a parallel clause: "435 homes by sale and 187 by tender"
_CONNECTOR_RE = re.compile(r"(?i),|\b(?:and|but|while|whilst|whereas|versus|vs|compared\s+(?:with|to))\b")
# a bare figure followed by a noun-like word or a rate word has its own unit or counted noun
_OWN_NOUN_RE = re.compile(r"\s*(?:-|per\b|a\s+(?:day|week|month|year)\b|on\s+the\s+\S+\s+scale\b)")


def with_elided_units(sentence: str, figures: list[Figure], lex: Lexicon) -> list[Figure]:
    """Give each bare figure the unit (or counted noun) of the nearest figure before it, when
    nothing but its own clause lies between them."""
    out: list[Figure] = []
    levels = _point_levels_before(sentence, figures)
    for k, figure in enumerate(figures):
        figure = _from_own_clause(sentence, figure, lex)
        previous = out[-1] if out else None
        rate = _rate_after(sentence, figure.end) if _is_bare(sentence, figure) else None
        if rate and previous is not None and previous.kind == "count" and previous.counted and not previous.unit:
            gap = sentence[previous.end : figure.start]  # "22 burglaries, compared with an average of 20 per week"
            if not _BREAK_RE.search(gap) and len(gap.split()) <= _MAX_GAP_WORDS and _plural(previous.counted):
                figure = replace(figure, counted=previous.counted, unit=f"{_singular_phrase(previous.counted)} per {rate}",
                                 metric=metric_of(sentence, figure.start, figure.end, previous.counted, lex))
        if previous is not None and _is_bare(sentence, figure) and _carries(sentence, previous):
            gap = sentence[previous.end : figure.start]
            if (not _BREAK_RE.search(gap) and len(gap.split()) <= _MAX_GAP_WORDS
                    and not _OWN_NOUN_RE.match(sentence, figure.end)):
                figure = _take_unit(sentence, previous, figure, gap, lex)
        if _is_bare(sentence, figure) and _is_index_level(sentence, k, figures, levels):
            figure = replace(figure, unit="point", kind="measure")
        if _is_bare(sentence, figure):
            figure = (_parallel_restatement(sentence, k, figure, figures) or _money_alternative(sentence, k, figure, figures)
                      or _before_counted(sentence, k, figure, figures, lex))
        out.append(figure)
    return _ages_listed(sentence, out)


_SCALED_RE = re.compile(r"(?i)million|billion|trillion|\d\s?(?:bn|mn|m|b)\b")
_OPEN_BRACKET_RE = re.compile(r"\s*\(\s*")


def _parallel_restatement(sentence: str, k: int, figure: Figure, figures: list[Figure]) -> Figure | None:
    """"2,435,000 yen ($22,480) for the manual and 2,380,000 ($21,972) for the CVT": a bare
    figure restated in brackets in the same currency as an earlier figure's restatement is in
    that earlier figure's currency."""
    if k + 1 >= len(figures) or figures[k + 1].kind != "money":
        return None
    if not _OPEN_BRACKET_RE.fullmatch(sentence[figure.end : figures[k + 1].start]):
        return None
    for j in range(k - 1, max(-1, k - 1 - LOOKBACK_FIGURES), -1):
        first, restated = figures[j], figures[j + 1]
        if (first.kind == "money" and restated.kind == "money" and restated.unit == figures[k + 1].unit
                and first.unit != restated.unit and _OPEN_BRACKET_RE.fullmatch(sentence[first.end : restated.start])):
            return replace(figure, unit=first.unit, kind="money")
    return None


_OR_RE = re.compile(r"\s+or\s+")


def _money_alternative(sentence: str, k: int, figure: Figure, figures: list[Figure]) -> Figure | None:
    """"about 8 or $9", "3 or £4": a bare figure offered as the alternative of a sum of money is in
    its currency (each side is read on its own: ranges.py joins no "or" to a currency sign)."""
    nxt = _next_figure(k, figure, figures)
    if nxt is None or nxt.kind != "money" or not _OR_RE.fullmatch(sentence, figure.end, nxt.start):
        return None
    return replace(figure, unit=nxt.unit, kind="money")


def _before_counted(sentence: str, k: int, figure: Figure, figures: list[Figure], lex: Lexicon) -> Figure:
    """"at 2483805 while Florida came second with 1385710 lightning strikes", "sold 750,000 in
    its first week and 3.5 million copies in all": a bare figure takes the plural counted noun of
    the next figure in a parallel clause."""
    nxt = _next_figure(k, figure, figures)
    if (nxt is None or nxt.kind != "count" or nxt.unit or not nxt.counted or not _plural(nxt.counted)
            or nxt.value == 1):
        return figure  # "hosted 30,000 ... but that's one of the benefits"
    gap = sentence[figure.end : nxt.start]
    if (_BREAK_RE.search(gap) or len(gap.split()) > _MAX_GAP_WORDS or not _CONNECTOR_RE.search(gap)
            or _OWN_NOUN_RE.match(sentence, figure.end) or _SCALED_RE.search(sentence[figure.start : figure.end])):
        return figure  # "investing a total of 200 million ... and employs 200 people": a sum, not people
    return replace(figure, counted=nxt.counted, metric=metric_of(sentence, figure.start, figure.end, nxt.counted, lex))


# a stock index quoted with its move: "Toronto Stock Exchange (16369.03 up 58.06 points)"
_MOVE_AFTER_RE = re.compile(r"(?i)\s*,?\s*(?:up|down|off|higher|lower)\s+$")
# a level after a percent move: "the TA-35 edged down 0.03% to 1,463.87 points, while the TA-125
# climbed 0.1% to 1,333.18"
_LEVEL_BEFORE_RE = re.compile(r"(?i)\b(?:at|to)\s+(?:a\s+close\s+of\s+)?$")


def _is_index_level(sentence: str, k: int, figures: list[Figure], levels: list[bool]) -> bool:
    """A bare level quoted with its move in points, or after a percent move in a sentence whose
    other levels are in points, is in points too."""
    figure = figures[k]
    after = _next_figure(k, figure, figures)
    if after is not None and after.unit == "point" and _MOVE_AFTER_RE.fullmatch(sentence[figure.end : after.start]):
        return True
    if k == 0 or figures[k - 1].kind != "percent" or not _level_before(sentence, figure):
        return False
    return levels[k - 1]


def _level_before(sentence: str, figure: Figure) -> bool:
    return bool(_LEVEL_BEFORE_RE.search(sentence, max(0, figure.start - LOOKBEHIND), figure.start))


def _point_levels_before(sentence: str, figures: list[Figure]) -> list[bool]:
    """For each k: whether one of figures[:k] is a level in points ("to 1,463.87 points"), read in one pass."""
    seen, levels = False, []
    for figure in figures:
        levels.append(seen)
        seen = seen or (figure.unit == "point" and _level_before(sentence, figure))
    return levels


def _next_figure(k: int, figure: Figure, figures: list[Figure]) -> Figure | None:
    """The first figure that starts after this one ends (figures are in order of start)."""
    for j in range(k + 1, len(figures)):
        if figures[j].start >= figure.end:
            return figures[j]
    return None


def _is_bare(sentence: str, figure: Figure) -> bool:
    surface = sentence[figure.start : figure.end]
    return (figure.kind == "count" and not figure.unit and figure.counted is None and figure.metric is None
            and figure.qualifier != "range" and not _PRONOUN_OR_AGE_RE.search(surface) and not _SHARE_RE.search(surface)
            and not _AGE_BEFORE_RE.search(sentence, max(0, figure.start - 12), figure.start))


def _carries(sentence: str, previous: Figure) -> bool:
    if _SHARE_RE.search(sentence[previous.start : previous.end]):
        return False  # "A third of those screened were at 35"
    return bool(previous.unit or previous.counted) and previous.counted != "age" and previous.unit != "year"


def _take_unit(sentence: str, previous: Figure, figure: Figure, gap: str, lex: Lexicon) -> Figure:
    if _AT_RE.search(gap) and previous.kind not in ("money", "measure"):
        return figure  # "won the title six times, having left school at 14"
    if previous.unit:
        if previous.kind == "percent" and (_LEVEL_AFTER_RE.search(gap) or figure.value > 100):
            return figure  # "climbed 0.1% to 1,333.18", "by 20% and its workforce by 200,000"
        return replace(figure, unit=previous.unit, kind=previous.kind)
    counted = previous.counted
    if not _CONNECTOR_RE.search(gap) or not _plural(counted) or previous.value == 1:
        return figure  # "17 players over the age of 21", "the 5 speed version and 2,380,000"
    return replace(figure, counted=counted, metric=metric_of(sentence, figure.start, figure.end, counted, lex))


def _plural(counted: str) -> bool:
    """A counted noun proper is plural after a figure other than one; "5 speed" is a modifier."""
    head = head_noun(counted)
    return (head.endswith("s") and not head.endswith("ss")) or head in IRREGULAR_PLURALS


def _rate_after(sentence: str, pos: int) -> str | None:
    """The denominator of a rate that starts at ``pos`` ("per day", "a week"), else None."""
    rate = with_rate(sentence, Unit("count", "", pos))
    return rate.unit[len(" per "):] if rate.unit.startswith(" per ") else None


def _singular_phrase(counted: str) -> str:
    words = counted.split(" ")
    return " ".join([*words[:-1], singular(words[-1])])


# "another pick or two", "a day or two"
_ONE_OR_BEFORE_RE = re.compile(r"(?i)\b(?=[ao])(?:a|an|another|one)\s+(?P<w>[a-z]+)\s+or\s+$")
# "between 50 and 70 on the GPa scale"
_SCALE_AFTER_RE = re.compile(r"\s+on\s+the\s+(?P<u>[^\s]+)\s+scale\b")
# "life expectancy for men is around 73", "the pension age rises to 67", "he will be 35", "she turned 40"
_AGE_CONTEXT_RE = re.compile(
    r"(?i)(?=[lrpvamhsw])(?:\b(?:life\s+expectancy|retirement\s+age|pension\s+age|voting\s+age|average\s+age|median\s+age|age\s+of\s+consent)"
    r"\b[^\d.;:]{0,40}|\b(?:he|she|who)\s+(?:is|was|will\s+be|would\s+be|would\s+have\s+been|turns|turned|turning|is\s+turning)\s+)$")


# "died at 75", "dies at age 91", "died at the age of 80": the figure is the age at death (the
# verb alone would make it a count of deaths)
_DIED_AT_RE = re.compile(r"(?i)\b(?:dies|died|dying)\s+(?:on\s+\w+\s+)?at\s+(?:the\s+age\s+of\s+|age\s+)?$")
# "who were 61 and 48 years old", "68 and 48-year-old": figures listed before an age are ages too
_AGE_LIST_GAP_RE = re.compile(r"\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|&\s*)")


def _modified_unit(figure: Figure) -> Figure:
    """A counted phrase of one modifier and a unit of measure ("352 net yards", "12 more miles")
    measures in that unit; the modifier stays in the counted phrase (units of two words, "square
    miles", are read as units already)."""
    words = figure.counted.split()
    if len(words) != 2:
        return figure
    unit = unit_after(" " + words[1], 0)
    if unit is None or unit.kind != "measure" or unit.end != len(words[1]) + 1:
        return figure
    return replace(figure, unit=unit.unit, kind="measure")


def _whole_age(figure: Figure) -> bool:
    return figure.value == int(figure.value) and 1 <= figure.value <= 120


def _ages_listed(sentence: str, figures: list[Figure]) -> list[Figure]:
    """Whole figures listed before an age are ages: "61 and 48 years old", "14, 16, 17 and 19
    years old" (read from the end, so a list passes the age back item by item; a bare comma
    joins only inside such a list: "a mother of two, 21-year-old Ann" keeps its count)."""
    out = list(figures)
    listed = [False] * len(out)
    for k in range(len(out) - 2, -1, -1):
        figure, nxt = out[k], out[k + 1]
        if (figure.kind != "count" or figure.unit or figure.counted is not None or not _whole_age(figure)
                or nxt.counted != "age" or nxt.start < figure.end):
            continue  # a metric read off a verb ("killed") may stand: the list says what the figure is
        gap = _AGE_LIST_GAP_RE.fullmatch(sentence, figure.end, nxt.start)
        if gap is None or (not re.search(r"\b(?:and|or)\b|&", gap.group(0)) and not listed[k + 1]):
            continue
        out[k] = replace(figure, unit=nxt.unit, kind=nxt.kind, counted="age", metric="age")
        listed[k] = True
    return out


_OWN_UNIT_AFTER_RE = re.compile(r"\s*(?:%|per\b|percent|[a-z]+s\b)")


_GAP_RE = re.compile(r"\s+")
_OF_GAP_RE = re.compile(r"(?i)of\s+")
_THE_GAP_RE = re.compile(r"(?i)the\s+")


def _noun_again_end(sentence: str, end: int, noun: str) -> int | None:
    """Where the counted noun, written again after the figure, ends: "3,000 tests", "3,000 of the
    tests" (the noun matched in any case). Read by position, not by a regex built for each noun."""
    gap = _GAP_RE.match(sentence, end)
    if gap is None:
        return None
    starts = []
    of = _OF_GAP_RE.match(sentence, gap.end())
    if of:
        the = _THE_GAP_RE.match(sentence, of.end())
        starts += [the.end()] if the else []
        starts.append(of.end())
    starts.append(gap.end())
    noun = noun.lower()
    return next((s + len(noun) for s in starts if sentence[s : s + len(noun)].lower() == noun), None)


def _from_own_clause(sentence: str, figure: Figure, lex: Lexicon) -> Figure:
    """A count's rate, a unit named by "on the X scale", "a pick or two", and ages in context."""
    if figure.kind == "count" and figure.counted and not figure.unit:
        if len(head_noun(figure.counted)) < 2:
            return figure  # "0.5 R per day": a letter we cannot read is no counted noun to make a rate of
        after = _noun_again_end(sentence, figure.end, figure.counted)
        rate = _rate_after(sentence, after) if after is not None else None
        if rate:  # "3,000 tests per day"
            return replace(figure, unit=f"{_singular_phrase(figure.counted)} per {rate}")
        return _modified_unit(figure)
    if figure.kind != "count" or figure.unit or figure.counted:
        return figure
    if _whole_age(figure) and _DIED_AT_RE.search(sentence, max(0, figure.start - LOOKBEHIND), figure.start):
        return replace(figure, unit="year", kind="measure", counted="age", metric="age")  # "dies at 91"
    scale = _SCALE_AFTER_RE.match(sentence, figure.end)
    if scale:
        unit = unit_after(" " + scale.group("u"), 0)
        if unit is not None and unit.kind == "measure" and unit.end == len(scale.group("u")) + 1:
            return replace(figure, unit=unit.unit, kind="measure")
    if not _is_bare(sentence, figure):
        return figure
    one_or = _ONE_OR_BEFORE_RE.search(sentence, max(0, figure.start - LOOKBEHIND), figure.start)
    if one_or:
        word = one_or.group("w")
        unit = unit_after(" " + word, 0)
        if unit is not None and unit.kind == "measure" and unit.end == len(word) + 1:
            return replace(figure, unit=unit.unit, kind="measure")
        if word.lower() not in lex.stop_words:
            return replace(figure, counted=word.lower(), metric=metric_of(sentence, figure.start, figure.end, word.lower(), lex))
    if (_whole_age(figure) and _AGE_CONTEXT_RE.search(sentence, max(0, figure.start - LOOKBEHIND), figure.start)
            and not _OWN_UNIT_AFTER_RE.match(sentence, figure.end)):
        return replace(figure, unit="year", kind="measure", counted="age", metric="age")
    return figure
