"""One sentence -> its figures: candidate matches, numbers, vague amounts, parts and ratios, then
restatements, bound pairs and compound measures; then the rule packs (auditor/extract/packs/)."""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .alternation import trie_alternation
from .numbers import FRACTIONS, HEAD_WORDS, NUMBER_RE, ONES, SCALES, TENS, VULGAR, parse_number
from .units import unit_after
from ..intervals import stated_bounds
from .context import with_context
from .figure import LOOKBEHIND, Figure, NumberReading
from .ellipsis import with_elided_units
from .filters import not_claim_reason
from .patterns import apply_patterns
from .ranges import as_range
from .reading import digits_or_words, read_number
from . import packs
from .vocabulary import Lexicon, lexicon


# "Mr Boateng, 53, is to ...": an age in apposition to a name
_AGE_APPOSITION_BEFORE_RE = re.compile(
    r"(?:[A-Z][\w'’-]+|\b(?:[JS]r\.|man|woman|boy|girl|teen|teenager|victim|suspect|driver|mother|father|son|daughter)),\s*$")
# "Mr Boateng, 53, is", "Carlos Vega, 33 (killed on the street)", "identified as Cordarell Collins, 22.",
# "Dennie Reeves, 66 and Ginger Reeves, 64", "Darrell Hawkins, 34 who were shot"
_AGE_APPOSITION_AFTER_RE = re.compile(r"\s*[,(;]|\.?\s*$|\s+(?:and\s+[A-Z]|who\b)")
_RATIO_RE = re.compile(r"\s+(?:in|out\s+of|of)\s+(?=\S)")


def figures_in_sentence(sentence: str, rejected: list | None = None) -> list[Figure]:
    """Every claim-worthy figure in one sentence, in order. ``rejected``, when given, receives
    (start, end, rule id) for every number read that is no claim, and why (``--explain``)."""
    lex = lexicon()
    figures, pos = [], 0
    candidates = _candidate_re()
    rejected = [] if rejected is None else rejected
    if not _number_stem_re().search(sentence):
        pos = len(sentence)  # no digit and no number word: no candidate (most sentences of news)
    while match := candidates.search(sentence, pos):
        figure = _read_candidate(sentence, match, rejected)
        if figure is None:
            pos = _resume_after(sentence, match)
            continue
        if not _inside_number_list(sentence, figure):
            figure = with_context(sentence, figure, lex)
        if figures and _restates(sentence, figures[-1], figure):
            figure = _inherit(figures[-1], figure)
        elif figures and figure.change is None and _gapped(sentence, figures[-1], figure):
            figure = replace(figure, change=figures[-1].change).by("change.gapped")
        merged = (_bounds_pair(sentence, figures[-1], figure) or _compound_measure(sentence, figures[-1], figure, lex)
                  if figures else None)
        if merged is not None:
            figures[-1] = merged
            pos = merged.end
            continue
        figures.append(figure)
        pos = max(figure.end, match.start() + 1)
    if figures:
        figures = _tag_elided(figures, with_elided_units(sentence, figures, lex))
    for pack in packs.active(lex.packs):  # domain grammars (auditor/extract/packs/)
        figures = pack.sentence_figures(sentence, figures, lex, rejected)
    return apply_patterns(sentence, figures, rejected)  # declared patterns, rules/patterns/


# a bare count with nothing but digits, commas and spaces for CONTEXT_REACH characters on either side
# ("1, 2, 3, 4, ..." or a column of figures): the context stage reads words (qualifiers, change words,
# the counted noun) and signs within that reach, and there are none, so it is skipped: a long list of
# numbers is read once, not searched for words around every item
CONTEXT_REACH = 60
_LIST_ONLY_RE = re.compile(r"[\d,\s]*")


def _inside_number_list(sentence: str, figure: Figure) -> bool:
    if figure.kind != "count" or figure.unit or figure.qualifier != "exact":
        return False
    before, after = max(0, figure.start - CONTEXT_REACH), min(len(sentence), figure.end + CONTEXT_REACH)
    return _LIST_ONLY_RE.fullmatch(sentence, before, after) is not None


def _tag_elided(before: list[Figure], after: list[Figure]) -> list[Figure]:
    """Name what the ellipsis stage (auditor/extract/ellipsis.py) gave each figure."""
    out = []
    for old, new in zip(before, after):
        if new.counted == "age" and old.counted != "age":
            new = new.by("age.context")
        elif new.unit != old.unit:
            new = new.by("unit.elided")
        elif new.counted != old.counted:
            new = new.by("counted.elided")
        out.append(new)
    return out


_RESTATEMENT_RE = re.compile(r"\s*(?:\(|,\s*or|\bor)\s*(?:about|around|roughly|some|nearly)?\s*$")


def _restates(sentence: str, previous: Figure, figure: Figure) -> bool:
    """"lost 190 points, or 0.6%", "more than 100 km (60 miles)": the same quantity again."""
    return bool(_RESTATEMENT_RE.fullmatch(sentence[previous.end : figure.start]))


# ", Burlington by 2.6%": the next item of a list whose verb is left out (gapping)
_GAPPED_RE = re.compile(r"\s*,\s*(?:and\s+)?(?:[\w.&'’-]+\s+){1,4}by\s+$")


def _gapped(sentence: str, previous: Figure, figure: Figure) -> bool:
    """"A was down 2.3%, B by 2.6%": the second figure takes the first one's change word."""
    return previous.change is not None and bool(_GAPPED_RE.fullmatch(sentence[previous.end : figure.start]))


_COMPOUND_JOINER_RE = re.compile(r"\s*(?:,\s*)?(?:and\s+)?")


def _compound_measure(sentence: str, first: Figure, second: Figure, lex: Lexicon) -> Figure | None:
    """"7 feet 10 inches" -> 94 inch, "2 hours and 30 minutes" -> 150 minute."""
    factor = lex.compound_units.get((first.unit, second.unit))
    if factor is None or first.qualifier == "range" or second.qualifier != "exact":
        return None
    if not _COMPOUND_JOINER_RE.fullmatch(sentence[first.end : second.start]):
        return None
    value = first.value * factor + second.value
    lower, upper = stated_bounds(first.qualifier, value)
    return replace(first, end=second.end, value=value, lower=lower, upper=upper, unit=second.unit,
                   counted=second.counted or first.counted, metric=second.metric or first.metric).by(
                       *second.rules, "measure.compound")


_LOWER_BOUNDS, _UPPER_BOUNDS = ("at_least", "more_than"), ("at_most", "less_than")
_BOUND_JOINER_RE = re.compile(r"\s*,?\s*(?:and|but|,)\s*")


def _bounds_pair(sentence: str, first: Figure, second: Figure) -> Figure | None:
    """"more than 100 and fewer than 300", "at most 50 and at least 20": one range."""
    kinds = {first.qualifier, second.qualifier}
    if not (kinds & set(_LOWER_BOUNDS) and kinds & set(_UPPER_BOUNDS)) or first.unit != second.unit and second.unit:
        return None
    if not _BOUND_JOINER_RE.fullmatch(sentence[first.end : second.start]):
        return None
    low = first if first.qualifier in _LOWER_BOUNDS else second
    high = second if low is first else first
    if low.value >= high.value:
        return None
    return replace(first, end=second.end, value=(low.value + high.value) / 2, lower=low.value, upper=high.value,
                   qualifier="range", unit=first.unit or second.unit, counted=first.counted or second.counted,
                   metric=first.metric or second.metric).by(*second.rules, "range.bounds_pair")


def _inherit(previous: Figure, figure: Figure) -> Figure:
    """A restatement takes the change of the figure it restates, not its bound or hedge: "more
    than $150m (£80m)" converts the figure, and the conversion is stated as written."""
    inherited = replace(figure, change=figure.change or previous.change)
    return inherited.by("change.restated") if inherited.change != figure.change else inherited


@lru_cache(maxsize=1)
def _candidate_re() -> re.Pattern:
    """Vague amounts ("tens of thousands") or number phrases, whichever starts first."""
    vague = trie_alternation(lexicon().vague, casefold=True)
    # every candidate starts with a digit, a point, a vulgar fraction or the first letter of a number,
    # vague or part word: a look-ahead for that lets the engine leave other positions (mid-word,
    # spaces, words that start with another letter) at once
    heads = "".join(sorted({w[0].lower() for w in (*HEAD_WORDS, *lexicon().vague, *_PARTS, "a")}))
    start = rf"(?:(?=[\d.{''.join(VULGAR)}])|(?<!\w)(?=[{heads}]))"
    return re.compile(rf"{start}(?:\b(?P<vague>{vague})\b|{_PART_OF_UNIT}|(?P<num>{NUMBER_RE.pattern}))", re.IGNORECASE)


@lru_cache(maxsize=1)
def _number_stem_re() -> re.Pattern:
    """A digit, a vulgar fraction or the start of a number, vague or part word: every candidate holds
    one ("a hundred" holds "hundred"), so a sentence without one is done. One small trie, tried
    once per sentence, is much cheaper than the candidate pattern at every word."""
    stems = {*ONES, *TENS, *SCALES, *FRACTIONS, *_PARTS, *(w.split()[0] for w in lexicon().vague)}
    return re.compile(rf"[\d{''.join(VULGAR)}]|\b(?:{trie_alternation(stems, casefold=True)})", re.IGNORECASE)


# "half a mile", "a quarter-litre", "tenth of a gallon": a share of one unit of measure
_PARTS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "fourth": 0.25, "tenth": 0.1}
_PART_OF_UNIT = r"\b(?P<part>(?:a\s+)?(?:half|quarter|third|fourth|tenth))[\s-]+(?:of\s+)?(?:an?\s+)?(?=[a-z])"


def _read_candidate(sentence: str, match: re.Match, rejected: list) -> Figure | None:
    if match.lastgroup == "vague":
        return _vague_figure(sentence, match, rejected)
    if match.group("part"):
        figure = _part_figure(sentence, match)
        number = NUMBER_RE.match(sentence, match.start()) if figure is None else None
        return _number_figure(sentence, number, rejected) if number else figure  # "half the money"
    return _number_figure(sentence, match, rejected)


def _resume_after(sentence: str, match: re.Match) -> int:
    """Where to look next after a candidate that is not a claim: past the number it starts
    with, not past the whole match ("4 and two-fifths" must still yield "two-fifths")."""
    if match.lastgroup == "vague":
        return match.end()
    return match.start() + max(1, len(digits_or_words(sentence, match.start())))


def _part_figure(sentence: str, match: re.Match) -> Figure | None:
    unit = unit_after(sentence, match.end() - 1)
    if unit is None or unit.kind != "measure":
        return None
    value = _PARTS[match.group("part").split()[-1].lower()]
    return Figure(match.start(), unit.end, value, value, value, "exact", None, unit.unit, "measure",
                  rules=("share.part_of_unit",))


def _number_figure(sentence: str, match: re.Match, rejected: list) -> Figure | None:
    lex = lexicon()
    number = read_number(sentence, match)
    if number is None:
        rejected.append((match.start(), match.end(), "number.unreadable"))
        return None
    reason = not_claim_reason(sentence, number, lex)
    if reason is not None:
        rejected.append((number.num_start, number.end, reason))
        return None
    ratio = _as_ratio(sentence, number)
    if ratio is not None:
        return ratio.by(*number.rules, "share.ratio")
    if _is_age_apposition(sentence, number):
        return Figure(number.start, number.end, number.value, number.value, number.value, "exact", None,
                      "year", "measure", counted="age", metric="age", rules=number.rules + ("age.apposition",))
    kind = number.unit.kind if number.unit else "count"
    unit = number.unit.unit if number.unit else ""
    figure = Figure(number.start, number.end, number.value, number.value, number.value, "exact", None, unit, kind,
                    rules=number.rules)
    joined = as_range(sentence, figure, number, lex)
    if joined is None:
        return figure
    return joined.by(*number.rules, "range.from_to_change" if joined.change else "range.joined")


def _is_age_apposition(sentence: str, number: NumberReading) -> bool:
    return (number.unit is None and number.plain_int and 1 <= number.value <= 120
            and bool(_AGE_APPOSITION_BEFORE_RE.search(sentence, max(0, number.start - 30), number.start))
            and bool(_AGE_APPOSITION_AFTER_RE.match(sentence, number.end)))


def _as_ratio(sentence: str, number: NumberReading) -> Figure | None:
    """"one in five adults", "7 out of 10", "one of four concepts": the share, N / M."""
    if number.unit is not None or number.value != int(number.value) or number.value < 1:
        return None
    joint = _RATIO_RE.match(sentence, number.end)
    if not joint:
        return None
    whole = NUMBER_RE.match(sentence, joint.end())
    if whole is None:
        return None
    parsed = parse_number(whole.group(0))
    if parsed is None or not number.value < parsed[0] <= 1000 or unit_after(sentence, whole.start() + parsed[1]):
        return None
    end = whole.start() + parsed[1]
    value = number.value / parsed[0]
    return Figure(number.start, end, value, value, value, "exact", None, "", "count")


def _vague_figure(sentence: str, match: re.Match, rejected: list) -> Figure | None:
    lex = lexicon()
    word = match.group("vague").lower()
    low, high = lex.vague[word]
    if _DIGIT_BEFORE_RE.search(sentence, max(0, match.start() - LOOKBEHIND), match.start()):
        rejected.append((match.start(), match.end(), "vague.after_digits"))
        return None
    if word in lex.vague_needs_of and not _OF_WORD_RE.match(sentence, match.end()):
        rejected.append((match.start(), match.end(), "vague.needs_of"))
        return None  # "he scores", "tens of thousands" is its own entry
    end, unit, kind = match.end(), "", "count"
    of = _OF_RE.match(sentence, end)
    if of:
        after = unit_after(sentence, of.end() - 1)
        if after is not None and after.kind in ("money", "measure"):
            end, unit, kind = after.end, after.unit, after.kind
    return Figure(match.start(), end, (low + high) / 2, low, high, "range", None, unit, kind, rules=("vague.amount",))


_DIGIT_BEFORE_RE = re.compile(r"\d\s*$")
_OF_RE = re.compile(r"\s+of\s+")
_OF_WORD_RE = re.compile(r"\s+of\b")
