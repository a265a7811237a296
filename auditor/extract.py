"""Extract stage: documents -> claims, one row per numeric assertion (see DESIGN.md).

One regex pass per sentence finds number phrases (``auditor.numbers``) and vague amounts;
each is then read outwards: currency before it, unit or percent after it (``auditor.units``,
tables in rules/), a second figure that makes it a range, qualifier words, change verbs, the
counted noun and its metric (rules/taxonomy.yaml), and who said it. Filters drop what is not
a claim (years, dates, times, ordinals, designations, phone numbers, addresses, scores,
durations used as time references). quantulum3 (``auditor.quantulum``) is consulted only for
digits followed by a unit-like token our tables lack ("40 mSv"); on news it is rarely needed,
so most processes never pay for loading its tables.

Conventions of the claim record, beyond DESIGN.md:
- lower/upper hold what the words assert: exact -> lower = upper = value; at_least and
  more_than -> lower = value, upper None; at_most and less_than -> upper = value, lower None;
  approx -> lower = upper = value with qualifier "approx" (the checker widens it by its
  tolerance); range -> both ends, value = midpoint. Two bounds joined by "and"/"but"
  ("more than 100 and fewer than 300") are one range.
- vague amounts ("dozens", "tens of thousands") are ranges by the order-of-magnitude
  convention in rules/extraction.yaml ("Xs" = [X, 10X]: "hundreds" = [100, 1000]).
- "from 5% to 7%" after a change word ("rose from 5% to 7%") is one claim: the new level
  (value 7) with change "up"; without a change word it is a range. "rose 5% to $40m" is two
  claims: the change (5%, up) and the level ($40m, no change).
- Noun forms of a change ("a 3% drop", "a 60 basis point improvement", "a gain of 2.13%")
  carry change up/down like the verb forms ("fell 3%"): the checker compares "fell 3%" in
  one outlet with "a 3% drop" in another, so both must say the same. NewsQuant's gold marks
  many noun forms "=", which costs some change F1 on dev; we keep the decision on purpose.
- A restatement in brackets or after ", or" ("lost 190 points, or 0.6%", "100 km (62 miles)")
  inherits the change and the bound of the figure it restates.
- unit: "" for counts; ISO 4217 for money; subunits keep the written figure and name the
  subunit ("19 cents" -> 19 "cent", "164p" -> 164 "penny"; rules/currencies.yaml has the
  factors); "%" for percent; "percentage point" for percentage points; otherwise a unit name
  ("kilometer", "mile per hour", "USD per year"). Ages are unit "year" with counted "age".
  Shares written as words ("one in five", "a third") are plain fractions (0.2, 1/3).
- metric: the taxonomy's metric when a context word and a generic noun match ("killed 76
  people") or the counted noun names it ("76 deaths"); else the counted noun in the singular;
  None when nothing is counted (a bare "$3bn" has no metric rather than a shared "USD" key
  that would pair unrelated sums).
- attribution: the "according to X", "X said" or "said X" source of the sentence, else None.
"""

from __future__ import annotations

import hashlib
import itertools
import multiprocessing
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml

from .columns import CLAIM_COLUMNS
from .numbers import NUMBER_RE, parse_number
from .sentences import split_sentences
from .units import PERCENT_POINT, Unit, currency_before, tables, unit_after, with_rate

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"
EXTRACTOR_NAME = "auditor-extract/1"
SERIAL_LIMIT = 64  # fewer documents than this are extracted in-process
BATCH = 512  # documents in flight at once when extracting in parallel

MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_BEFORE_RE = re.compile(rf"\b(?:{MONTHS})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{MONTHS})\b", re.IGNORECASE)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|[^\sA-Za-z]")
_LETTER_HYPHEN_BEFORE_RE = re.compile(r"\b(?!(?:sub|minus|mid)-)[A-Za-z]+-$")
_CAPITALISED_WORD_BEFORE_RE = re.compile(r"(?:^|[\s(])((?:[A-Z]|[a-z]+[A-Z])[\w&'’./-]*)\s+$")
_GLUED_NUMBER_BEFORE_RE = re.compile(r"\d[-/:.]$")
_SCORE_AFTER_RE = re.compile(r"\s?[-–]\s?\d{1,2}\b(?![.,]\d)")
_SCORE_BEFORE_RE = re.compile(r"\b\d{1,2}\s?[-–]\s?$")
_COMPOUND_AFTER_RE = re.compile(r"-(?!(?:old|odd|plus|strong|year-old|month-old|week-old|day-old)\b)[a-z]", re.IGNORECASE)
# "a third place", "a fifth term": an ordinal after "a", unless "a third of" or the clause ends
_ORDINAL_NOT_FRACTION_RE = re.compile(r"\s+(?!of\b|more\b|less\b)[a-z]", re.IGNORECASE)
_FRACTION_ARTICLE_RE = re.compile(r"(?i)an?[\s-](?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?$")
# "Mr Boateng, 53, is to ...": an age in apposition to a name
_AGE_APPOSITION_BEFORE_RE = re.compile(
    r"(?:[A-Z][\w'’-]+|\b(?:man|woman|boy|girl|teen|teenager|victim|suspect|driver|mother|father|son|daughter)),\s*$")
# "Image 15 of 16", "Photo 3 of 12": a gallery position, neither figure is a claim
_GALLERY_RE = re.compile(r"(?i)\b(?:image|photo|photograph|picture|slide)\s+\d+\s+of\s+$")
_AGE_APPOSITION_AFTER_RE = re.compile(r"\s*,")
_RATIO_RE = re.compile(r"\s+(?:in|out\s+of|of)\s+(?=\S)")
TIME_UNITS = frozenset(("year", "month", "week", "day", "hour", "minute", "second", "decade", "century"))
_PHONE_RE = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\+\d[\d\s-]{8,}\d")
_CLOCK_RE = re.compile(r"[:.]\d\d\s*(?:a\.?m\.?|p\.?m\.?)|:\d\d\b", re.IGNORECASE)
_ADDRESS_RE = re.compile(
    r"\s+(?:[A-Z][a-z]*\.?\s+|\d+(?:st|nd|rd|th)\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Place|Court|Terrace)\b"
)
_GLUED_LETTERS_RE = re.compile(r"[A-Za-z]")
_DAY_COMMA_BEFORE_RE = re.compile(r"\d\s*,\s*$")
_YEAR_RANGE_RE = re.compile(r"[-–/](?:\d{2}|\d{4})\b")
# "-5", "(-3.2%)", "minus 4", a lone "- 5" only at the very start; "- - $ 75" is a dash
_NEGATIVE_RE = re.compile(r"(?:^[-−]\s?|(?<=[\s(])[-−]|(?<![\w-])(?:minus|negative)[\s-]+)$", re.IGNORECASE)
# "3 dollars 50 cents", "15 dollars and 50.", "thirteen dollars and forty-five cents"
_MINOR_AMOUNT_RE = re.compile(
    r"\s+(?:and\s+)?(?P<n>\d{1,2}|(?:[a-z]+-)?[a-z]+(?:\s(?!(?:cents?|c|sen|pence|p)\b)[a-z]+)?)(?:\s*(?:cents?|c|sen|pence|p)\b|(?=\s*[.,;!?]?\s*$))",
    re.IGNORECASE,
)
_BELOW_ZERO_RE = re.compile(r"\s+below\s+zero\b", re.IGNORECASE)


# ---------------------------------------------------------------- rules, compiled once


def _phrases_re(phrases, before: bool) -> re.Pattern:
    """Whole-word phrases, longest first, anchored to the end (before) or start (after)."""
    alternation = "|".join(re.escape(p) for p in sorted(set(phrases), key=len, reverse=True))
    if before:
        return re.compile(rf"(?:^|(?<=[\s(\"“]))(?P<p>{alternation})\s*$", re.IGNORECASE)
    return re.compile(rf"\s*(?P<p>{alternation})(?![A-Za-z])", re.IGNORECASE)


@dataclass(frozen=True)
class Lexicon:
    qualifier_before: re.Pattern
    qualifier_before_map: dict
    qualifier_sign: re.Pattern
    qualifier_sign_map: dict
    vague_needs_of: frozenset
    qualifier_after: re.Pattern
    qualifier_after_map: dict
    change_before: re.Pattern
    change_after: re.Pattern
    change_map: dict
    vague_re: re.Pattern
    vague: dict
    stop_words: frozenset
    loose_modifiers: frozenset
    designation_before: re.Pattern
    year_before: re.Pattern
    time_after: re.Pattern
    ordinal_after: re.Pattern
    score_words: frozenset
    one_before: re.Pattern
    one_after: re.Pattern
    idioms: re.Pattern
    attribution_verbs: re.Pattern
    attribution_prefix: re.Pattern
    time_reference_after: re.Pattern
    compound_units: dict
    not_fractions: re.Pattern
    metric_nouns: dict
    metric_context: list
    taxonomy_phrases: frozenset
    implicit_subject: re.Pattern | None
    implicit_object: re.Pattern | None
    implicit_verbs: re.Pattern | None


@lru_cache(maxsize=None)
def lexicon(rules_dir: Path = RULES_DIR) -> Lexicon:
    rules = yaml.safe_load((rules_dir / "extraction.yaml").read_text(encoding="utf-8"))
    taxonomy = yaml.safe_load((rules_dir / "taxonomy.yaml").read_text(encoding="utf-8"))
    units = yaml.safe_load((rules_dir / "units.yaml").read_text(encoding="utf-8"))

    def inverted(mapping):
        return {p.lower(): key for key, phrases in mapping.items() for p in phrases}

    q_before, q_after = inverted(rules["qualifiers_before"]), inverted(rules["qualifiers_after"])
    changes = inverted(rules["change_words"])
    gap = "|".join(re.escape(g) for g in sorted(rules["change_gap"], key=len, reverse=True))
    change_alt = "|".join(re.escape(w) for w in sorted(changes, key=len, reverse=True))
    vague = {k.lower(): tuple(float(x) for x in v) for k, v in rules["vague_amounts"].items()}
    vague_alt = "|".join(re.escape(v) for v in sorted(vague, key=len, reverse=True))
    verbs = "|".join(re.escape(v) for v in rules["attribution_verbs"])
    nouns, context, phrases = _taxonomy(taxonomy)
    return Lexicon(
        qualifier_before=_phrases_re(q_before, before=True),
        qualifier_before_map=q_before,
        qualifier_sign=re.compile(
            "(?P<p>" + "|".join(re.escape(s) for s in sorted(rules["qualifier_signs"], key=len, reverse=True)) + r")\s*$"
        ),
        qualifier_sign_map=dict(rules["qualifier_signs"]),
        vague_needs_of=frozenset(rules["vague_needs_of"]),
        qualifier_after=_phrases_re(q_after, before=False),
        qualifier_after_map=q_after,
        change_before=re.compile(rf"\b(?P<w>{change_alt})\s+(?:(?:{gap})\s+)*$", re.IGNORECASE),
        change_after=re.compile(rf"\s*(?:-\s*)?(?P<w>{change_alt})\b", re.IGNORECASE),
        change_map=changes,
        vague_re=re.compile(rf"\b(?P<vague>{vague_alt})\b", re.IGNORECASE),
        vague=vague,
        stop_words=frozenset(w.lower() for w in rules["noun_stop_words"]),
        loose_modifiers=frozenset(w.lower() for w in rules["counted_loose_modifiers"]),
        designation_before=_phrases_re(rules["designation_before"], before=True),
        year_before=_phrases_re(rules["year_before"], before=True),
        time_after=_phrases_re(rules["time_after"], before=False),
        ordinal_after=re.compile(rf"(?:{'|'.join(rules['ordinal_suffixes'])})\b", re.IGNORECASE),
        score_words=frozenset(w.lower() for w in rules["score_context"]),
        one_before=_phrases_re(rules["one_not_count_before"], before=True),
        one_after=_phrases_re(rules["one_not_count_after"], before=False),
        idioms=re.compile(r"\b(?:" + "|".join(re.escape(i) for i in rules["idioms"]) + r")\b"),
        attribution_verbs=re.compile(rf"\b(?:{verbs})\b"),
        attribution_prefix=_phrases_re(rules["attribution_prefixes"], before=False),
        time_reference_after=_phrases_re(units["time_reference_after"], before=False),
        compound_units={(big, small): float(n) for big, small, n in units["compound"]},
        not_fractions=re.compile("|".join(re.escape(f) + r"(?!\d)" for f in rules["not_fractions"])),
        metric_nouns=nouns,
        metric_context=context,
        taxonomy_phrases=phrases,
        implicit_subject=_implicit_re(taxonomy.get("implicit_one"), "subject"),
        implicit_object=_implicit_re(taxonomy.get("implicit_one"), "object"),
        implicit_verbs=_implicit_verbs_re(taxonomy.get("implicit_one")),
    )


def _alt(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(set(words), key=len, reverse=True))


def _implicit_verbs_re(spec: dict | None) -> re.Pattern | None:
    """A cheap first pass: the sentence holds one of the implicit_one verbs at all."""
    if not spec:
        return None
    words = {w.split()[-1] for form in ("subject", "object") for ws in (spec.get(form) or {}).values() for w in ws}
    return re.compile(rf"\b(?:{_alt(words)})\b")


def _implicit_re(spec: dict | None, form: str) -> re.Pattern | None:
    """The "a man ... killed" pattern of rules/taxonomy.yaml implicit_one; one group per metric."""
    if not spec or not spec.get(form):
        return None
    person = rf"\b[Aa]n?\s+(?:[\w'’-]+\s+){{0,2}}?(?P<nK>{_alt(spec['persons'])})\b"
    people = person.replace("nK", "n1") + r"(?:\s+and\s+" + person.replace("nK", "n2")[2:] + ")?"
    verbs = "|".join(rf"(?P<m_{metric}>{_alt(words)})" for metric, words in spec[form].items())
    if form == "subject":
        between = rf"(?:(?:{_alt(spec['between'])})\s+){{0,5}}?"
        return re.compile(rf"(?P<who>{people})(?:\s*,\s*\d{{1,3}}\s*,)?\s+{between}(?:{verbs})\b")
    return re.compile(rf"\b(?:{verbs})\s+(?P<who>{people})")


def _taxonomy(taxonomy: dict):
    """(noun -> metric, [(metric, context words, nouns it applies to)], multiword nouns)."""
    groups = {name: frozenset(w.lower() for w in words) for name, words in (taxonomy.get("groups") or {}).items()}
    nouns, context = {}, []
    for metric, spec in taxonomy["metrics"].items():
        for noun in spec.get("nouns") or []:
            nouns.setdefault(noun.lower(), metric)
        if spec.get("context"):
            applies = spec.get("applies_to") or []
            applies = groups[applies] if isinstance(applies, str) else frozenset(a.lower() for a in applies)
            context.append((metric, tuple(c.lower() for c in spec["context"]), applies))
    phrases = frozenset(n for n in nouns if " " in n) | frozenset(
        a for _, _, applies in context for a in applies if " " in a
    )
    return nouns, context, phrases


# ---------------------------------------------------------------- one figure


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence; offsets are relative to the sentence."""

    start: int
    end: int
    value: float
    lower: float | None
    upper: float | None
    qualifier: str
    change: str | None
    unit: str
    kind: str  # "count", "money", "percent", "measure"
    counted: str | None = None
    metric: str | None = None


@dataclass(frozen=True)
class _Number:
    start: int  # including a currency symbol or sign
    num_start: int
    end: int  # after the unit when there is one
    value: float
    unit: Unit | None
    plain_int: bool  # written as digits without separators or decimals ("200", "2019")
    has_scale: bool


def figures_in_sentence(sentence: str) -> list[Figure]:
    """Every claim-worthy figure in one sentence, in order."""
    lex = lexicon()
    figures, pos = [], 0
    candidates = _candidate_re()
    while match := candidates.search(sentence, pos):
        figure = _read_candidate(sentence, match)
        if figure is None:
            pos = _resume_after(sentence, match)
            continue
        figure = _with_context(sentence, figure, lex)
        if figures and _restates(sentence, figures[-1], figure):
            figure = _inherit(figures[-1], figure)
        merged = (_bounds_pair(sentence, figures[-1], figure) or _compound_measure(sentence, figures[-1], figure, lex)
                  if figures else None)
        if merged is not None:
            figures[-1] = merged
            pos = merged.end
            continue
        figures.append(figure)
        pos = max(figure.end, match.start() + 1)
    return _with_implicit(sentence, figures, lex)


def _with_implicit(sentence: str, figures: list[Figure], lex: Lexicon) -> list[Figure]:
    """Add the implicit counts of rules/taxonomy.yaml implicit_one ("a man was shot and killed"
    -> killed 1, surface "a man"). A person phrase that holds a figure ("a 17-year-old boy")
    keeps only its noun as the surface, so claims never overlap."""
    found = []
    if lex.implicit_verbs is None or not lex.implicit_verbs.search(sentence):
        return figures
    for pattern in (lex.implicit_subject, lex.implicit_object):
        if pattern is None:
            continue
        for match in pattern.finditer(sentence):
            metric = next(k[2:] for k, v in match.groupdict().items() if k.startswith("m_") and v)
            start, end = match.span("who")
            value = 2.0 if match.group("n2") else 1.0
            if any(f.start < end and start < f.end for f in figures):
                if value != 1.0:
                    continue
                start = match.start("n1")
            if any(f.start < end and start < f.end for f in figures + found):
                continue
            counted = _singular(match.group("n1").lower()) if value == 1.0 else "people"
            found.append(Figure(start, end, value, value, value, "exact", None, "", "count",
                                counted=counted, metric=metric))
    if not found:
        return figures
    return sorted(figures + found, key=lambda f: f.start)


_RESTATEMENT_RE = re.compile(r"\s*(?:\(|,\s*or|\bor)\s*(?:about|around|roughly|some|nearly)?\s*$")


def _restates(sentence: str, previous: Figure, figure: Figure) -> bool:
    """"lost 190 points, or 0.6%", "more than 100 km (60 miles)": the same quantity again."""
    return bool(_RESTATEMENT_RE.fullmatch(sentence[previous.end : figure.start]))


_COMPOUND_JOINER_RE = re.compile(r"\s*(?:,\s*)?(?:and\s+)?")


def _compound_measure(sentence: str, first: Figure, second: Figure, lex: Lexicon) -> Figure | None:
    """"7 feet 10 inches" -> 94 inch, "2 hours and 30 minutes" -> 150 minute."""
    factor = lex.compound_units.get((first.unit, second.unit))
    if factor is None or first.qualifier == "range" or second.qualifier != "exact":
        return None
    if not _COMPOUND_JOINER_RE.fullmatch(sentence[first.end : second.start]):
        return None
    value = first.value * factor + second.value
    lower, upper = _interval(first.qualifier, value)
    return replace(first, end=second.end, value=value, lower=lower, upper=upper, unit=second.unit,
                   counted=second.counted or first.counted, metric=second.metric or first.metric)


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
                   metric=first.metric or second.metric)


def _inherit(previous: Figure, figure: Figure) -> Figure:
    change = figure.change or previous.change
    if figure.qualifier != "exact" or previous.qualifier in ("exact", "range"):
        return replace(figure, change=change)
    lower, upper = _interval(previous.qualifier, figure.value)
    return replace(figure, change=change, qualifier=previous.qualifier, lower=lower, upper=upper)


@lru_cache(maxsize=1)
def _candidate_re() -> re.Pattern:
    """Vague amounts ("tens of thousands") or number phrases, whichever starts first."""
    vague = "|".join(re.escape(v) for v in sorted(lexicon().vague, key=len, reverse=True))
    return re.compile(rf"\b(?P<vague>{vague})\b|{_PART_OF_UNIT}|(?P<num>{NUMBER_RE.pattern})", re.IGNORECASE)


# "half a mile", "a quarter-litre", "tenth of a gallon": a share of one unit of measure
_PARTS = {"half": 0.5, "quarter": 0.25, "third": 1 / 3, "fourth": 0.25, "tenth": 0.1}
_PART_OF_UNIT = r"\b(?P<part>(?:a\s+)?(?:half|quarter|third|fourth|tenth))[\s-]+(?:of\s+)?(?:an?\s+)?(?=[a-z])"


def _read_candidate(sentence: str, match: re.Match) -> Figure | None:
    if match.lastgroup == "vague":
        return _vague_figure(sentence, match)
    if match.group("part"):
        figure = _part_figure(sentence, match)
        number = NUMBER_RE.match(sentence, match.start()) if figure is None else None
        return _number_figure(sentence, number) if number else figure  # "half the money"
    return _number_figure(sentence, match)


def _resume_after(sentence: str, match: re.Match) -> int:
    """Where to look next after a candidate that is not a claim: past the number it starts
    with, not past the whole match ("4 and two-fifths" must still yield "two-fifths")."""
    if match.lastgroup == "vague":
        return match.end()
    return match.start() + max(1, len(_digits_or_words(sentence, match.start())))


def _part_figure(sentence: str, match: re.Match) -> Figure | None:
    unit = unit_after(sentence, match.end() - 1)
    if unit is None or unit.kind != "measure":
        return None
    value = _PARTS[match.group("part").split()[-1].lower()]
    return Figure(match.start(), unit.end, value, value, value, "exact", None, unit.unit, "measure")


def _read_number(sentence: str, match: re.Match) -> _Number | None:
    """A number phrase with its currency or unit, or None when it is not a number."""
    start = match.start()
    currency = currency_before(sentence, start)
    parsed = parse_number(match.group(0), money=currency is not None or _scale_letter(sentence, match))
    if parsed is None:
        return None
    value, length = parsed
    end = start + length
    text = sentence[start:end]
    plain_int = text.isdigit()
    has_scale = bool(_HAS_SCALE_RE.search(text))
    first = start
    if currency is not None:
        code, first = currency
        unit = with_rate(sentence, Unit("money", code, end))
        after = unit_after(sentence, end)  # "$5 US dollars", "US$ 2.24 per mmBTU"
        if after is not None and after.kind == "money" and after.factor == 1.0:
            unit = with_rate(sentence, replace(after, unit=code))
    else:
        unit = unit_after(sentence, end)
    sign = _NEGATIVE_RE.search(sentence, max(0, first - 10), first)
    if sign:
        value, first = -value, sign.start()
    below = _BELOW_ZERO_RE.match(sentence, unit.end if unit else end)
    if below and value > 0:
        value = -value  # "2 degrees below zero"
        unit = replace(unit, end=below.end()) if unit else Unit("measure", "degree", below.end())
    if unit is not None and unit.factor != 1.0:
        value *= unit.factor
    if unit is not None and unit.kind == "money" and " per " not in unit.unit and len(unit.unit) == 3:
        minor = _MINOR_AMOUNT_RE.match(sentence, unit.end)
        cents = parse_number(minor.group("n")) if minor else None
        if cents and cents[1] == len(minor.group("n")) and cents[0] < 100 and cents[0] == int(cents[0]):
            value += cents[0] / 100 * (1 if value >= 0 else -1)
            unit = replace(unit, end=minor.end())
    return _Number(first, start, unit.end if unit else end, value, unit, plain_int, has_scale)


_HAS_SCALE_RE = re.compile(
    r"(?i)\b(?:hundred|thousand|million|billion|trillion|lakhs?|crores?|dozens?)\b|\d\s?(?:k|m|b|bn|mn|mln|tn)\b"
)
_SCALE_LETTER_RE = re.compile(r"\d(?:M|[mb](?=\s+(?!(?:tall|long|high|deep|wide|away|from|of|in|on|at|to|and|or)\b)[a-z]+))\b")


def _scale_letter(sentence: str, match: re.Match) -> bool:
    """"4.3M sales", "1.2m tons": million; "5m tall", "100m from": metres."""
    return bool(_SCALE_LETTER_RE.search(match.group(0)[-2:] + sentence[match.end() : match.end() + 16]))


# a unit-like token our tables lack: glued to the digits ("300mAh"), or mixed case ("5 GPa", "10 mmBTU")
_GLUED_UNIT_RE = re.compile(r"[A-Za-z]{2,5}(?:/[A-Za-z]+)?\b")
_MIXED_CASE_UNIT_RE = re.compile(r"\s(?:[a-z]+[A-Z][A-Za-z]*|[A-Z]{2,}[a-rt-z][A-Za-z]*)\b")


def _looks_like_unit(sentence: str, start: int, end: int) -> bool:
    """Worth asking quantulum3: digits followed by something that looks like a unit symbol."""
    if not sentence[start : start + 1].isdigit() or re.search(r"[\w/-]$", sentence[max(0, start - 1) : start]):
        return False
    glued = _GLUED_UNIT_RE.match(sentence, end)
    if glued:
        return glued.group(0).lower() not in ("s", "th", "st", "nd", "rd", "am", "pm", "bn", "m", "k", "b")
    return bool(_MIXED_CASE_UNIT_RE.match(sentence, end))


def _quantulum_unit(sentence: str, start: int, end: int) -> Unit | None:
    from . import quantulum

    snippet = sentence[start : min(len(sentence), end + 24)]
    for quantity in quantulum.parse(snippet):
        unit_text = snippet[end - start : quantity["end"]].strip()
        # quantulum3 glues unknown letters into compound units ("3GSM" -> gauss metre): take
        # only a simple unit or a rate, spelled by more than one letter
        simple = " " not in quantity["unit"].replace(" per ", "_") or "-" in quantity["unit"]
        if (quantity["start"] == 0 and len(unit_text) > 1 and simple and quantity["end"] > end - start
                and quantity["entity"] not in ("dimensionless", "unknown", "currency")):
            return Unit("measure", quantity["unit"], start + quantity["end"])
    return None


def _number_figure(sentence: str, match: re.Match) -> Figure | None:
    lex = lexicon()
    number = _read_number(sentence, match)
    if number is None or _is_not_claim(sentence, number, lex):
        return None
    if number.unit is None and _looks_like_unit(sentence, number.num_start, number.end):
        unit = _quantulum_unit(sentence, number.num_start, number.end)
        if unit is not None:
            number = replace(number, unit=unit, end=unit.end)
    ratio = _as_ratio(sentence, number)
    if ratio is not None:
        return ratio
    if _is_age_apposition(sentence, number):
        return Figure(number.start, number.end, number.value, number.value, number.value, "exact", None,
                      "year", "measure", counted="age", metric="age")
    kind = number.unit.kind if number.unit else "count"
    unit = number.unit.unit if number.unit else ""
    figure = Figure(number.start, number.end, number.value, number.value, number.value, "exact", None, unit, kind)
    return _as_range(sentence, figure, number, lex) or figure


def _is_age_apposition(sentence: str, number: _Number) -> bool:
    return (number.unit is None and number.plain_int and 1 <= number.value <= 120
            and bool(_AGE_APPOSITION_BEFORE_RE.search(sentence, max(0, number.start - 30), number.start))
            and bool(_AGE_APPOSITION_AFTER_RE.match(sentence, number.end)))


def _as_ratio(sentence: str, number: _Number) -> Figure | None:
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


def _vague_figure(sentence: str, match: re.Match) -> Figure | None:
    lex = lexicon()
    word = match.group("vague").lower()
    low, high = lex.vague[word]
    if re.search(r"\d\s*$", sentence[: match.start()]):
        return None
    if word in lex.vague_needs_of and not re.match(r"\s+of\b", sentence[match.end() :]):
        return None  # "he scores", "tens of thousands" is its own entry
    end, unit, kind = match.end(), "", "count"
    of = re.match(r"\s+of\s+", sentence[end:])
    if of:
        after = unit_after(sentence, end + of.end() - 1)
        if after is not None and after.kind in ("money", "measure"):
            end, unit, kind = after.end, after.unit, after.kind
    return Figure(match.start(), end, (low + high) / 2, low, high, "range", None, unit, kind)


# ---------------------------------------------------------------- what is not a claim


def _is_not_claim(sentence: str, number: _Number, lex: Lexicon) -> bool:
    start, end = number.num_start, number.end
    before, after = sentence[max(0, start - 40) : start], sentence[number.end : number.end + 40]
    raw_end = start + len(_digits_or_words(sentence, start))
    raw_after = sentence[raw_end : raw_end + 40]
    word = sentence[start:raw_end]
    has_unit = number.unit is not None
    if lex.time_after.match(raw_after) or _CLOCK_RE.match(raw_after):
        return True  # "4 a.m.", "10.45pm", "16:30"
    if word[:1].isdigit() and lex.ordinal_after.match(raw_after):
        return True  # "3rd", "21st"
    if (before[-1:].isalpha() or before[-1:] == "_") and number.start == number.num_start:
        return True  # "G20", "MH17", "S23" (a currency prefix is not part of ``before``)
    if _GLUED_NUMBER_BEFORE_RE.search(before):
        return True  # the tail of "2019-09-01", "24/7", "11:30"
    if _is_score_part(sentence, before, raw_after, lex):
        return True
    if _COMPOUND_AFTER_RE.match(raw_after) and not has_unit:
        return True  # "three-bed apartment", "a third-party audit"
    if has_unit and number.unit.unit in TIME_UNITS and raw_after.startswith("-") and not re.match(r"-?\s?old\b", after):
        return True  # "a five-year plan", "a 24-hour strike": a description, not a figure
    if _LETTER_HYPHEN_BEFORE_RE.search(before) or (word[:1].isdigit() and _glued_letters(raw_after, has_unit)):
        return True  # "COVID-19", "F-35", "5G", "3D"
    if _PHONE_RE.match(sentence, start) or (_ADDRESS_RE.match(raw_after) and number.plain_int):
        return True
    if "/" in word and lex.not_fractions.match(sentence, start):
        return True  # "9/11", "24/7"
    if _is_date(before, raw_after, number):
        return True
    if _is_year(sentence, before, raw_after, number, lex):
        return True
    if number.unit and number.unit.kind == "measure" and lex.time_reference_after.match(after):
        return True  # "two years ago"
    if word.isalpha() and re.match(r"\s+\d", raw_after):
        return True  # "just one 52,000-barrel refinery": the word only introduces the figure
    if word.lower() == "one" and (lex.one_before.search(before) or lex.one_after.match(raw_after)):
        return True  # "no one", "one another"
    if lex.idioms.search(sentence[max(0, start - 12) : raw_end + 12].lower()):
        return True  # "at one point", "one by one"
    if _FRACTION_ARTICLE_RE.fullmatch(word) and _ORDINAL_NOT_FRACTION_RE.match(raw_after):
        return True  # "a third place finish"
    if _is_designation(sentence, before, number, word, has_unit, lex) or _GALLERY_RE.search(before):
        return True
    return False


def _is_score_part(sentence: str, before: str, raw_after: str, lex: Lexicon) -> bool:
    """"2-0", "ended 2-2": a score when the sentence talks about a match."""
    if not (_SCORE_AFTER_RE.match(raw_after) or _SCORE_BEFORE_RE.search(before)):
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z-]+", sentence)}
    return bool(words & lex.score_words)


def _digits_or_words(sentence: str, start: int) -> str:
    match = NUMBER_RE.match(sentence, start)
    if not match:
        return ""
    parsed = parse_number(match.group(0), money=True)
    return match.group(0)[: parsed[1]] if parsed else match.group(0)


_SCALE_OR_PLURAL_RE = re.compile(r"(?:bn|mn|mln|k|m|b|tn)\b|s\b", re.IGNORECASE)


def _glued_letters(raw_after: str, has_unit: bool) -> bool:
    """Letters stuck to the digits that are neither a unit nor a scale ("5G", "3D", "747s")."""
    if has_unit or not raw_after[:1].isalpha():
        return False
    return not _SCALE_OR_PLURAL_RE.match(raw_after) or raw_after[:1] == "s"


def _is_date(before: str, raw_after: str, number: _Number) -> bool:
    if not number.plain_int or number.value > 31 or number.unit is not None:
        return False
    return bool(_MONTH_BEFORE_RE.search(before) or _MONTH_AFTER_RE.match(raw_after))


def _is_year(sentence: str, before: str, raw_after: str, number: _Number, lex: Lexicon) -> bool:
    if not number.plain_int or number.unit is not None or number.start != number.num_start:
        return False
    if raw_after.startswith("s") and not raw_after[1:2].isalpha():
        return True  # "1990s"
    if not 1000 <= number.value <= 2199:
        return False
    to = re.match(r"\s*[-–]\s*(\d[\d,]*)", raw_after)
    if to and not (len(to.group(1)) == 2 or 1000 <= int(to.group(1).replace(",", "")) <= 2100):
        return False  # "2000 - 2500 calories" is a range, "2019-20" a season
    if lex.year_before.search(before):
        return True  # "in 2019", "since 1998", "A.D. 1000", "by 2120"
    if not 1800 <= number.value <= 2100:
        return False
    if _MONTH_BEFORE_RE.search(before) or _YEAR_RANGE_RE.match(raw_after) or _DAY_COMMA_BEFORE_RE.search(before):
        return True  # "May 2019", "2019-20", "November 11, 2025"
    # a bare 1800-2100 is a year unless a countable plural follows ("2019 sales" is a year too,
    # but "1,900 sales" would have a comma)
    counted_plural = re.match(r"\s+(?:[a-z]+\s+)?[a-z]+s\b", raw_after)
    return not counted_plural or re.match(r"\s+(?:was|were|is|has|had|will)\b", raw_after) is not None


def _is_designation(sentence, before, number: _Number, word: str, has_unit: bool, lex: Lexicon) -> bool:
    """"Plan Independencia 200", "Boeing 737", "S&P 500", "No. 1", "BBC One", "Section 427"."""
    if has_unit or number.has_scale and word[:1].isdigit() or number.start != number.num_start:
        return False
    if word[:1].isdigit() and not number.plain_int:
        return False
    if lex.designation_before.search(before):
        return True
    capitalised = _CAPITALISED_WORD_BEFORE_RE.search(before)
    if not capitalised:
        return False
    prior = capitalised.group(1)
    if prior.endswith(("'", "’", "'s", "’s")):
        return False  # a possessive owns the figure ("the Lords' 750 peers"), it does not name it
    if lex.qualifier_before.search(prior + " ") or prior.lower() in lex.stop_words or _MONTH_BEFORE_RE.search(prior):
        return False
    if prior.lower() in lex.change_map:
        return False
    sentence_start = before[: capitalised.start(1)].strip() == "" and len(before) < 40
    if sentence_start and not word[:1].isupper():
        return False  # "Some 200 people", "About 76"
    return word[:1].isdigit() or word[:1].isupper()


# ---------------------------------------------------------------- ranges and changes


_JOINER_RE = re.compile(r"\s*(?:-|–|—|~|to|and|or|through)\s*(?:(?:about|around|approximately|roughly|~)\s*)?", re.IGNORECASE)
_BETWEEN_RE = re.compile(r"\b(?:between|from|range(?:s|d)?(?:\s+from)?|ranging(?:\s+from)?)\s+$", re.IGNORECASE)


def _as_range(sentence: str, first: Figure, number: _Number, lex: Lexicon) -> Figure | None:
    """"10-15", "between 10 and 15", "5 to 7 per cent", "from $3m to $5m" (a change)."""
    joiner = _JOINER_RE.match(sentence, first.end)
    if not joiner:
        return None
    word = joiner.group(0).split()[0].lower() if joiner.group(0).split() else ""
    word = word[0] if word and word[0] in "-–—~" else word
    lead = _BETWEEN_RE.search(sentence, max(0, number.start - 20), number.start)
    lead_word = lead.group(0).split()[0].lower() if lead else ""
    if word == "and" and lead_word != "between":
        return None
    if word == "or" and (number.unit is not None or first.kind != "count"):
        return None
    second_match = NUMBER_RE.match(sentence, joiner.end()) or _after_currency(sentence, joiner.end())
    if second_match is None:
        return None
    second = _read_number(sentence, second_match)
    if second is None or second.value is None:
        return None
    if second.value < 0 and word in "-–—":
        second = replace(second, value=-second.value, start=second.num_start)  # "2 -7 g": the dash joins
    low, high = number.value, second.value
    if second.has_scale and not number.has_scale and low < high:
        scale = _scale_of(sentence[second.num_start : second.end])
        if low * scale <= high:
            low *= scale  # "5 to 7 million", "four to five thousand"
    if number.unit is not None and second.unit is None and number.start == number.num_start:
        return None  # "fell 0.4 per cent to 13176": a level after a change, not a range
    unit = second.unit or number.unit
    if number.unit and second.unit and _base(number.unit.unit) != _base(second.unit.unit):
        return None
    if first.kind == "count" and word in "-–—" and _is_score(sentence, low, high, lex):
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


def _base(unit: str) -> str:
    return unit.split(" per ")[0]


def _after_currency(sentence: str, pos: int):
    match = re.match(r"(?:US\$|[$£€¥]|Rs\.?|RM)\s?", sentence[pos:])
    return NUMBER_RE.match(sentence, pos + match.end()) if match else None


_TRAILING_SCALE_RE = re.compile(r"(?:\b|\d)(hundred|thousand|million|billion|trillion|bn|mn|m|k|tn)\s*$", re.IGNORECASE)


def _scale_of(text: str) -> float:
    """The multiplier a range's second figure ends with ("7 million" -> 1e6), else 1."""
    from .numbers import SCALES, SUFFIXES, MONEY_SUFFIXES

    match = _TRAILING_SCALE_RE.search(text)
    if not match:
        return 1.0
    word = match.group(1)
    return SCALES.get(word.lower()) or SUFFIXES.get(word) or MONEY_SUFFIXES.get(word) or 1.0


def _is_score(sentence: str, low: float, high: float, lex: Lexicon) -> bool:
    if low > 20 or high > 20 or low != int(low) or high != int(high):
        return False
    words = {w.lower() for w in re.findall(r"[A-Za-z-]+", sentence)}
    return bool(words & lex.score_words)


# ---------------------------------------------------------------- the words around a figure


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


def _counted(sentence: str, end: int, figure: Figure, lex: Lexicon) -> str | None:
    """The noun phrase after the figure, up to its head noun: "200,000 troops across" -> troops,
    "76 of the dead" -> dead, "14 first-team players left" -> first-team players.

    Noun and classifying modifiers stay ("lightning strikes", "public housing properties");
    evaluative and quantity words before them do not ("50 different products" -> products;
    rules/extraction.yaml counted_loose_modifiers). The metric is read from the head noun.
    """
    if figure.kind == "measure" and re.match(r"-?\s?old\b", sentence[end:]):
        return "age"
    words = [m.group(0) for m in itertools.islice(_WORD_RE.finditer(sentence, end), 12)]
    i = 0
    if words[:1] == ["of"] or words[:1] == ["-"] and figure.kind != "count":
        i = 1
        if i < len(words) and words[i].lower() in ("the", "those", "these", "all", "its", "their", "our", "his", "her"):
            i += 1
    if i == 0 and words and words[0] == "-":  # "20-strong", "a 51-year-old"
        i = 1
    run: list[str] = []
    while i < len(words) and len(run) < 4:
        word = words[i]
        low = word.lower()
        if not word[0].isalpha() or low in lex.stop_words:
            break
        if run and (low.endswith("ed") or low.endswith("ing") or low.endswith("ly")):
            if " ".join([run[-1].lower(), low]) not in lex.taxonomy_phrases and not _modifies_next(words, i, lex):
                break
        if run and word[0].isupper() and not run[0][0].isupper():
            break
        run.append(word)
        i += 1
    if not run:
        return None
    tail = " ".join(run[-2:]).lower()
    if tail in lex.taxonomy_phrases:
        return tail
    lowered = [w.lower() for w in run]
    head = _head_index(lowered, singular=figure.value == 1 and i == len(run))
    first = 0
    while first < head and lowered[first] in lex.loose_modifiers:
        first += 1
    return " ".join(lowered[first : head + 1])


def _modifies_next(words: list[str], i: int, lex: Lexicon) -> bool:
    """An -ing/-ed word inside a noun phrase: "1,100 public housing properties", "20 lightning
    strikes". It modifies when a lowercase plural noun follows; otherwise it is a verb that ends
    the phrase ("76 people killed", "30 drivers missing")."""
    if i + 1 >= len(words):
        return False
    nxt = words[i + 1]
    return (nxt.isalpha() and nxt.islower() and nxt not in lex.stop_words and nxt.endswith("s")
            and not nxt.endswith(("ss", "ed", "ing")) and words[i].lower().endswith("ing"))


IRREGULAR_PLURALS = frozenset("people men women children police personnel staff cattle feet teeth crew aircraft".split())


def _head_index(run: list[str], singular: bool) -> int:
    """The head of "first-team players left" is players; of "one particular demand", demand."""
    plural = [k for k, w in enumerate(run) if (w.endswith("s") and not w.endswith("ss")) or w in IRREGULAR_PLURALS]
    if singular:
        nouns = [k for k in range(len(run)) if k not in plural]
        return nouns[-1] if nouns else 0
    return plural[0] if plural else 0


def head_noun(counted: str) -> str:
    """The last word of a counted phrase: "first-team players" -> players."""
    return counted.rsplit(" ", 1)[-1]


def _metric(sentence: str, start: int, end: int, counted: str | None, lex: Lexicon) -> str | None:
    """Taxonomy first (context + generic noun, then the noun alone), else the head noun, singular.

    The whole counted phrase is tried before its head ("fighter jets", "lives lost"), so a
    modifier never splits a metric: "14 first-team players" and "14 players" share "player".
    """
    clause = _clause_words(sentence, start, end)
    phrase = counted or ""
    nouns = (phrase, head_noun(phrase)) if " " in phrase else (phrase,)
    words = clause.split()
    here = words.index("|")
    for noun in nouns:
        best = None  # the context word nearest the figure wins: "5 were hurt and one was killed"
        for metric, context, applies in lex.metric_context:
            if noun not in applies:
                continue
            for c in context:
                if f" {c} " not in clause:
                    continue
                size = c.count(" ") + 1
                for k in range(len(words) - size + 1):
                    if " ".join(words[k : k + size]) == c:
                        distance = here - k - size if k < here else k - here
                        if best is None or distance < best[0]:
                            best = (distance, metric)
        if best is not None:
            return best[1]
    for noun in nouns:
        if noun in lex.metric_nouns:
            return lex.metric_nouns[noun]
    return _singular(nouns[-1]) if phrase else None


_CLAUSE_BREAK_RE = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|which)\b|,\s+(?=[a-z]+ing\b)")
# the next figure, in digits or words, ends a figure's context on that side
_NEXT_FIGURE_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
    r"another|others)\b", re.IGNORECASE)
# "killed 76 people and injured 140": the second figure's clause starts at "and"
_LIST_BREAK_RE = re.compile(r"\b(?:and|but|while|whereas|or)\b(?=(?:\s+\S+){0,2}\s*$)")


def _clause_words(sentence: str, start: int, end: int) -> str:
    """The text around the figure up to clause breaks, lowercased, for context lookups."""
    left = sentence[max(0, start - 60) : start]
    right = sentence[end : end + 60]
    left = re.split(r"\d", left)[-1]  # a figure's context ends at the previous figure
    breaks = list(_CLAUSE_BREAK_RE.finditer(left)) or list(_LIST_BREAK_RE.finditer(left))
    if breaks:
        left = left[breaks[-1].end() :]
    brk = _CLAUSE_BREAK_RE.search(right)
    if brk:
        right = right[: brk.start()]
    right = _NEXT_FIGURE_RE.split(right, maxsplit=1)[0]
    words = [*re.findall(r"[a-z'’-]+", left.lower()), "|", *re.findall(r"[a-z'’-]+", right.lower())]
    return " " + " ".join(words) + " "


def _singular(noun: str) -> str:
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and len(noun) > 3:
        return noun[:-1]
    return noun


def attribution(sentence: str) -> str | None:
    """Who the sentence says the figures come from: "according to X", "X said", "said X"."""
    lex = lexicon()
    prefix = re.search(r"\b(?:according to|as reported by|citing|data from|figures from)\s+", sentence, re.IGNORECASE)
    if prefix:
        who = re.match(r"[^,.;:()\"“”\d]+", sentence[prefix.end() :])
        words = who.group(0).split()[:6] if who else []
        while words and words[-1].lower() in lex.stop_words:
            words.pop()  # "according to Pew Research 44% of ..." stops before the figure
        if words:
            return " ".join(words)
    for verb in lex.attribution_verbs.finditer(sentence):
        if verb.group(0) == "according":
            continue
        who = _speaker_before(sentence[: verb.start()], lex) or _speaker_after(sentence[verb.end() :])
        if who:
            return who
    return None


_PRONOUNS = frozenset("he she they it we i you this that there who which".split())


def _speaker_before(text: str, lex: Lexicon) -> str | None:
    words = text.rstrip().split(" ")
    run: list[str] = []
    for word in reversed(words):
        if not word or not re.fullmatch(r"[A-Za-z][\w.'’&-]*", word):
            break
        low = word.lower()
        if low in _PRONOUNS or (low in lex.stop_words and low not in ("the",)):
            break
        run.insert(0, word)
        if low == "the" or len(run) == 4:
            break
    while run and run[0].lower() == "the" and len(run) == 1:
        run = []
    if not run or all(w.lower() == "the" for w in run):
        return None
    if run[-1].lower().endswith(("ly", "ed")) or any(ch.isdigit() for ch in run[-1]):
        return None  # "previously reported", "questioned": not a source
    return " ".join(run)


def _speaker_after(text: str) -> str | None:
    match = re.match(r"\s+((?:[A-Z][\w'’-]*(?:\s|\.\s?(?=[A-Z]))?){1,4})", text)
    return match.group(1).strip().rstrip(".") if match else None


# ---------------------------------------------------------------- documents and tables


def claim_id(doc_id: str, start: int, end: int, surface: str) -> str:
    return hashlib.sha1(f"{doc_id}\x1f{start}\x1f{end}\x1f{surface}".encode("utf-8")).hexdigest()[:16]


def extract_document(doc: dict) -> list[dict]:
    """The claims of one document, ordered by start; ``text[start:end] == surface``."""
    text = doc.get("text") or ""
    doc_id = str(doc.get("doc_id") or "")
    claims = []
    for s_start, s_end in split_sentences(text):
        sentence = text[s_start:s_end]
        figures = figures_in_sentence(sentence)
        if not figures:
            continue
        said = attribution(sentence)
        for fig in figures:
            start, end = s_start + fig.start, s_start + fig.end
            surface = text[start:end]
            claims.append({
                "claim_id": claim_id(doc_id, start, end, surface),
                "doc_id": doc.get("doc_id"),
                "source": _clean(doc.get("source")),
                "published_at": _clean(doc.get("published_at")),
                "story": _clean(doc.get("story")),
                "start": start,
                "end": end,
                "surface": surface,
                "sentence": sentence,
                "value": float(fig.value),
                "lower": None if fig.lower is None else float(fig.lower),
                "upper": None if fig.upper is None else float(fig.upper),
                "qualifier": fig.qualifier,
                "change": fig.change,
                "unit": fig.unit,
                "counted": fig.counted,
                "metric": fig.metric,
                "attribution": said,
            })
    return claims


def _clean(value):
    """None for missing values, whatever form they came in (NaN, NaT, pandas NA)."""
    if value is None:
        return None
    try:
        if value != value:  # NaN
            return None
    except (TypeError, ValueError):
        return value
    return value


def extractor_version() -> str:
    """Identifies the extractor for run metadata and the state store."""
    from .quantulum import QUANTULUM_VERSION

    return f"{EXTRACTOR_NAME}+quantulum3-{QUANTULUM_VERSION}"


def extract_claims(documents, workers: int | None = None):
    """The claims table (columns CLAIM_COLUMNS) of an iterable of documents or a DataFrame.

    Small inputs run in-process; larger ones stream through a process pool in input order,
    a bounded batch at a time.
    """
    import pandas as pd

    docs = _iter_documents(documents)
    head = list(itertools.islice(docs, SERIAL_LIMIT))
    rows: list[dict] = []
    workers = workers if workers is not None else (multiprocessing.cpu_count() or 1)
    if len(head) < SERIAL_LIMIT or workers <= 1:
        for doc in itertools.chain(head, docs):
            rows.extend(extract_document(doc))
    else:
        rows = _extract_parallel(itertools.chain(head, docs), workers)
    return pd.DataFrame(rows, columns=list(CLAIM_COLUMNS))


def _extract_parallel(docs, workers: int) -> list[dict]:
    lexicon(), tables()  # compile the rules before forking, so workers inherit them
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    rows: list[dict] = []
    with context.Pool(workers) as pool:
        while batch := list(itertools.islice(docs, BATCH)):
            for claims in pool.imap(extract_document, batch, chunksize=8):
                rows.extend(claims)
    return rows


def _iter_documents(documents):
    if hasattr(documents, "to_dict") and hasattr(documents, "columns"):
        for record in documents.itertuples(index=False):
            yield record._asdict()
    else:
        yield from documents
