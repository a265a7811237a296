"""One sentence -> its figures: candidate matches, numbers, vague amounts, parts and ratios, then
restatements, bound pairs, compound measures and the implicit counts of rules/taxonomy.yaml."""

from __future__ import annotations

import bisect
import collections
import itertools
import re
from dataclasses import replace
from functools import lru_cache

from .alternation import trie_alternation
from .numbers import NUMBER_RE, VULGAR, parse_number
from .units import Unit, unit_after
from ..intervals import stated_bounds
from .context import with_context
from .counted import singular
from .figure import LOOKBACK_FIGURES, LOOKBEHIND, Figure, NumberReading
from .ellipsis import with_elided_units
from .filters import not_claim_reason
from .patterns import apply_patterns
from .ranges import as_range
from .reading import digits_or_words, read_number
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
        figures = _ages_in_lists(sentence, _tag_elided(figures, with_elided_units(sentence, figures, lex)))
    figures = _with_implicit(sentence, figures, lex, rejected)
    figures = _summed_parts(sentence, figures, lex) if figures else figures
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


# A list of ages: after "ages"/"aged"/"the age of" ("two men, ages 20 and 22", "a child under the age of 10"), after ", both" ("Aiken and Clark,
# both 21, were killed"), in apposition to plural persons ("wounded two men, 19 and 20, who"), and
# "one 16 and the other 17". Every number of the list is an age, none is a count of people.
_AGE_NUMBER = r"\d{1,3}"
_AGE_LIST = rf"{_AGE_NUMBER}(?:\s*,\s*(?:and\s+|or\s+)?{_AGE_NUMBER}|\s*,?\s*(?:and|or|to)\s+{_AGE_NUMBER})*"
_AGE_LIST_RES = (
    re.compile(rf"\b(?:[Aa]ged?|[Aa]ges)\s+(?:of\s+)?(?P<ages>{_AGE_LIST})\b(?!\s*(?:%|percent|years?\s+(?:ago|later|earlier)))"),
    re.compile(rf",\s*both\s+(?P<ages>{_AGE_NUMBER})\b(?=\s*(?:[,;(.)—–-]|$|and\b|of\b))"),
    re.compile(rf"(?:\b(?:men|women|boys|girls|teens|teenagers|children|kids|victims|brothers|sisters|sons|daughters|"
               rf"males|females|adults|juveniles|others|people|students|friends|cousins|siblings)|"
               rf"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w'’-]+\s+){{0,2}}[A-Za-z'’-]+s),\s*"
               rf"(?P<ages>{_AGE_NUMBER}(?:\s*,\s*{_AGE_NUMBER})*\s*,?\s*(?:and|or)\s+{_AGE_NUMBER})"
               rf"(?=\s*(?:[,;(.)—–-]|$|(?:who|were|are|was|is)\b))"),
    re.compile(rf"\bone\s+(?P<ages>{_AGE_NUMBER}\s*,?\s+and\s+the\s+other\s+{_AGE_NUMBER})\b"),
    # the second of two named persons with their ages: "Dennie Reeves, 66 and Ginger Reeves, 64 were found"
    re.compile(rf"\b[A-Z][\w'’-]+,\s*{_AGE_NUMBER}\s+and\s+(?:[A-Z][\w'’.-]*\s+){{0,3}}[A-Z][\w'’-]+,\s*"
               rf"(?P<ages>{_AGE_NUMBER})\b(?!\s*(?:%|percent|people|persons|others))"),
)


def _ages_in_lists(sentence: str, figures: list[Figure]) -> list[Figure]:
    spans = sorted(m.span("ages") for pattern in _AGE_LIST_RES for m in pattern.finditer(sentence))
    if not spans:
        return figures
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end of the spans so far
    out = []
    for figure in figures:
        k = bisect.bisect_right(starts, figure.start)
        if (figure.kind == "count" and not figure.unit and figure.change is None and 1 <= figure.value <= 120
                and k and reach[k - 1] >= figure.end):
            figure = replace(figure, unit="year", kind="measure", counted="age", metric="age").by("age.list")
        out.append(figure)
    return out


def _with_implicit(sentence: str, figures: list[Figure], lex: Lexicon, rejected: list) -> list[Figure]:
    """Add the implicit counts of rules/taxonomy.yaml implicit_one ("a man was shot and killed"
    -> killed 1, surface "a man"). A person phrase that holds a figure ("a 17-year-old boy")
    keeps only its noun as the surface, so claims never overlap."""
    found = []
    if lex.implicit_verbs is None or not lex.implicit_verbs.search(sentence):
        return figures
    taken = _Spans(figures)  # the figures and the persons found so far, for overlap look-ups
    for pattern in (lex.implicit_subject, lex.implicit_object):
        if pattern is None:
            continue
        for match in pattern.finditer(sentence):
            metric = next(k[2:] for k, v in match.groupdict().items() if k.startswith("m_") and v)
            if metric == "injured" and _DIES_LATER_RE.match(sentence, match.end()):
                continue  # "a boy was shot in the leg and later died": killed, not injured
            if _PART_BEFORE_RE.search(sentence, max(0, match.start("who") - 20), match.start("who")):
                continue  # "four people including a 12-year-old and an 8-year-old were injured": a part
            if _AND_UNCOUNTED_RE.match(sentence, match.end("who")):
                continue  # "killed his wife and children": more persons than the one, and no count of them
            if _ORDINAL_RE.search(match.group("who")):
                continue  # "a fourth person suffered a graze wound": one more of several, not the count
            if pattern is lex.implicit_subject and _is_active(sentence, match, metric):
                continue  # "a man shot and killed his wife": the man is the killer, not a casualty
            start, end = match.span("who")
            value = 1.0 + len(_PERSON_JOINT_RE.findall(match.group("more") or ""))
            inside = taken.overlapping(start, end, figures_only=True)
            ages_as_persons = _ages_as_persons(sentence, start, end)
            if ages_as_persons and all(f.metric == "age" for f in inside):
                # an age used as the person ("a 6-year-old is dead"): a count of one; the age is no claim
                used = [f for f in inside if any(a <= f.start and f.end <= b for a, b in ages_as_persons)]
                if used:
                    rejected.extend((f.start, f.end, "casualty.age_as_person") for f in used)
                    figures = [f for f in figures if f not in used]
                    taken.remove(used)
                inside = [f for f in inside if f not in used]
            if inside and value != 1.0:
                # ages inside a list of persons ("a 47-year-old woman and 12-year-old girl"): the surface
                # starts after the last of them, so claims never overlap
                if not all(f.metric == "age" and start <= f.start and f.end <= end for f in inside):
                    continue
                start = _AFTER_AGE_RE.match(sentence, max(f.end for f in inside)).end()
            elif inside:
                start = match.start("n1")
            if taken.overlapping(start, end):
                continue
            person = match.group("n1") or "person"  # a pronoun counts a person
            if _AGE_PERSON_RE.fullmatch(person):
                person = "person"
            counted = singular(person.lower()) if value == 1.0 else "people"
            form = "casualty.implicit_subject" if pattern is lex.implicit_subject else "casualty.implicit_object"
            found.append(Figure(start, end, value, value, value, "exact", None, "", "count",
                                counted=counted, metric=metric, implicit=True, rules=("casualty.implicit_one", form)))
            taken.add(found[-1])
    if not found:
        return figures
    found = _several_persons(sentence, found)
    return sorted(figures + found, key=lambda f: f.start)


class _Spans:
    """Figures indexed by start, for "which of them overlap [start, end)" in logarithmic time: a
    sentence with thousands of figures is not scanned once per figure."""

    def __init__(self, figures: list[Figure]):
        self._items = sorted(((f.start, i, f, True) for i, f in enumerate(figures)), key=lambda t: (t[0], t[1]))
        self._longest = max((f.end - f.start for f in figures), default=0)
        self._count = len(self._items)

    def add(self, figure: Figure, from_figures: bool = False) -> None:
        self._count += 1
        bisect.insort(self._items, (figure.start, self._count, figure, from_figures), key=lambda t: (t[0], t[1]))
        self._longest = max(self._longest, figure.end - figure.start)

    def remove(self, figures: list[Figure]) -> None:
        self._items = [t for t in self._items if all(t[2] is not f for f in figures)]

    def overlapping(self, start: int, end: int, figures_only: bool = False) -> list[Figure]:
        """The figures that overlap [start, end), in order of start."""
        first = bisect.bisect_left(self._items, start - self._longest, key=lambda t: t[0])
        last = bisect.bisect_left(self._items, end, key=lambda t: t[0])
        return [f for _, _, f, original in self._items[first:last]
                if f.end > start and (original or not figures_only)]


def _without_overlapping_persons(out: list[Figure], start: int, end: int) -> list[Figure]:
    """``out`` less the implicit persons inside [start, end); only the last LOOKBACK_FIGURES claims,
    the ones a listed person can reach, are looked at."""
    tail = len(out) - LOOKBACK_FIGURES
    kept = [f for f in out[max(0, tail):] if not (f.implicit and f.start < end and start < f.end)]
    return out[: max(0, tail)] + kept if len(kept) < len(out) - max(0, tail) else out


def _several_persons(sentence: str, found: list[Figure]) -> list[Figure]:
    """Separate persons of one casualty metric in one sentence ("a 26-year-old man was shot in the back,
    while a 4-year-old boy suffered a gunshot wound to the foot") are each one of several: no person is
    the count, so each keeps its person as metric. Two person phrases are distinct when their nouns
    differ, or when "another"/"a second" comes before the later one. Read in one pass per metric."""
    named = [f for f in found if not _PRONOUN_RE.fullmatch(sentence[f.start : f.end])]
    several: set[int] = set()
    for metric in {f.metric for f in named}:
        group = sorted((f for f in named if f.metric == metric), key=lambda f: f.start)
        nouns = collections.Counter(f.counted for f in group)
        flagged = [bool(_ANOTHER_BEFORE_RE.search(sentence[max(0, f.start - 25) : f.start])) for f in group]
        flagged_after = list(itertools.accumulate(reversed(flagged)))[::-1] + [0]  # flagged persons from k on
        starts = [g.start for g in group]
        for k, f in enumerate(group):
            later = bisect.bisect_right(starts, f.start)  # the persons after f start here
            if len(group) > nouns[f.counted] or (flagged[k] and later > 1) or flagged_after[later] > 0:
                several.add(id(f))
    return [replace(f, metric=f.counted).by("casualty.one_of_several") if id(f) in several else f for f in found]


_PRONOUN_RE = re.compile(r"(?:he|she|him|her)", re.IGNORECASE)
_ANOTHER_BEFORE_RE = re.compile(r"\b(?:another|other|second)\s+(?:[\w'’-]+\s+)?$", re.IGNORECASE)


_AND_UNCOUNTED_RE = re.compile(
    r"\s+and\s+(?:(?:his|her|their|the|several|other)\s+)?(?:(?!(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
    r"[\w'’-]+\s+)?(?:children|kids|sons|daughters|parents|"
    r"grandchildren|family|relatives|friends|others|people|men|women|boys|girls|victims|siblings)\b", re.IGNORECASE)
_PART_BEFORE_RE = re.compile(r"\b(?:including|among them|among whom)\s+$", re.IGNORECASE)
_AGE_PERSON_RE = re.compile(r"\d{1,3}[- ](?:year|month)s?[- ]old", re.IGNORECASE)


def _ages_as_persons(sentence: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of ages used as persons in a person phrase: "a 16-year-old and a 19-year-old" (the age
    ends the phrase or a list item), not "a 16-year-old boy"."""
    return [m.span() for m in _AGE_PERSON_RE.finditer(sentence, start, end)
            if re.match(r"\s*(?:,|and\b|$)", sentence[m.end() : end])]


_AFTER_AGE_RE = re.compile(r"(?:[\s-]*old\b)?[\s-]*")  # "12-year|-old girl"
_PERSON_JOINT_RE = re.compile(r"\s*,\s*(?:and\s+)?(?=\S)|\s+and\s+")  # what joins the persons of a list


# an object right after a casualty verb: the person before the verb did it ("a man killed his wife")
_OBJECT_AFTER_RE = re.compile(
    r"\s+(?:a|an|the|his|her|their|its|my|our|two|three|four|five|six|seven|eight|nine|ten|\d+|him|them|another|"
    r"several|both)\b", re.IGNORECASE)  # not "himself": "a boy fatally shot himself" is a casualty
_ORDINAL_RE = re.compile(r"\b(?:second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|\d+(?:st|nd|rd|th))\b",
                         re.IGNORECASE)
_PASSIVE_RE = re.compile(r"\b(?:was|were|is|are|been|being|got|gets)\b", re.IGNORECASE)


def _is_active(sentence: str, match: re.Match, metric: str) -> bool:
    """The person is the verb's subject in the active voice, with an object after the verb."""
    verb_start, verb_end = match.span(f"m_{metric}")
    if _PASSIVE_RE.search(sentence, match.end("who"), verb_start):
        return False
    return bool(re.search(r"(?:killed|shot|murdered|wounded|injured|hurt|slain)$", sentence[verb_start:verb_end], re.IGNORECASE)
                and _OBJECT_AFTER_RE.match(sentence, verb_end))


# a death later in the same clause, with no other person named before it
_DIES_LATER_RE = re.compile(
    r"(?:(?!\b(?:an?|another|the other|one|two|three|\d+)\b)[^.;])*?\b(?:died|dies|killed|dead|did not survive|succumbed)\b",
    re.IGNORECASE)


# what joins two parts of a list: the first part's counted noun, then "and" ("four injured, one
# critically" is a total and a part of it)
_PART_JOINER_RE = re.compile(r"\s+(?P<noun>[A-Za-z][\w'’-]*(?:\s+[A-Za-z][\w'’-]*)?)\s+and\s+")


def _summed_parts(sentence: str, figures: list[Figure], lex: Lexicon) -> list[Figure]:
    """Counts of people listed with "and" under one casualty metric are one count, their sum
    (rules/taxonomy.yaml casualty_counts): "injuring four men and two women" -> injured 6, surface
    "four men and two women"; "three women and a man were wounded" -> 4. Each part alone is not
    the count of the event. A part whose own clause names no metric takes the other's ("killed
    two soldiers and three civilians": the verb governs both)."""
    people = {metric: applies for metric, _, applies, _ in lex.metric_context}
    taxonomy = set(people) | set(lex.metric_nouns.values())  # "4,000 soldiers" are troops, no part of a casualty list
    several = _several_events(sentence, lex)
    spans = _Spans(figures)
    out: list[Figure] = []
    for figure in figures:
        if figure.implicit and out and figure.start < out[-1].end and out[-1].start < figure.end:
            continue  # a person already summed into the count before it ("two men and a woman")
        if figure.metric in lex.casualty_metrics and (several or figure.value != int(figure.value)):
            # "one of eight family members killed" is a share, not a count; "six were wounded in five
            # separate shootings" is a total over several events (casualty_counts.several_events)
            figure = replace(figure, metric=singular(figure.counted) if figure.counted else None).by("casualty.several_events")
        if figure.metric not in taxonomy or figure.metric in lex.casualty_metrics:
            figure, out = _with_listed_person(sentence, figure, out, spans, lex, people)
        prev = out[-1] if out else None
        joiner = _PART_JOINER_RE.fullmatch(sentence, prev.end, figure.start) if prev is not None else None
        if (joiner is None or prev.kind != "count" or figure.kind != "count" or prev.qualifier != "exact"
                or figure.qualifier != "exact" or prev.change or figure.change):
            out.append(figure)
            continue
        metric = next((m for m in (prev.metric, figure.metric) if m in lex.casualty_metrics), None)
        nouns = people.get(metric, frozenset())
        noun = joiner.group("noun").lower()  # the first part's counted noun: "men", "other women"
        if (metric is None or noun.split()[-1] not in nouns
                or not all(f.metric == metric or f.metric not in taxonomy and (f.counted or "") in nouns
                           for f in (prev, figure))):
            out.append(figure)
            continue
        value = prev.value + figure.value
        end = figure.end
        after = _SPACES_RE.match(sentence, end).end()
        if figure.counted and sentence[after : after + len(figure.counted)].lower() == figure.counted:  # "... and two women"
            end = after + len(figure.counted)
        out[-1] = replace(prev, end=end, value=value, lower=value, upper=value, counted="people", metric=metric,
                          implicit=prev.implicit and figure.implicit).by(*figure.rules, "casualty.summed_parts")
    return sorted(out, key=lambda f: f.start)


# "one of the worst mass shootings in state history": the event compared with others, not several events
_COMPARED_RE = re.compile(r"(?:\bone\s+of\s+the\b[^,;.]{0,40}|\b(?:worst|deadliest|largest|biggest|bloodiest)\s+(?:\w+\s+)?)$",
                          re.IGNORECASE)


def _several_events(sentence: str, lex: Lexicon) -> bool:
    """The sentence is about several separate events (rules/taxonomy.yaml casualty_counts.several_events)."""
    if lex.several_events is None:
        return False
    return any(not _COMPARED_RE.search(sentence, max(0, m.start() - 60), m.start())
               for m in lex.several_events.finditer(sentence))


_OTHER_NOUN_RE = re.compile(r"\s+(?:other|more|additional)\s+[a-z]+\b", re.IGNORECASE)


def _with_listed_person(sentence: str, figure: Figure, out: list[Figure], spans: _Spans, lex: Lexicon,
                        people: dict) -> tuple[Figure, list[Figure]]:
    """A count of people and one person joined by "and" are one count: "a man and two girls were shot
    to death" -> killed 3, "injured three adults and an 11-year-old child" -> injured 4. The person's
    own implicit count, if it was read, goes into the sum; an age inside the person phrase stays an age
    claim and the surface starts after it."""
    if figure.qualifier != "exact" or figure.implicit or figure.kind != "count" or figure.change:
        return figure, out
    counted = figure.counted
    if counted is None:  # "four other people"
        other = _OTHER_NOUN_RE.match(sentence, figure.end)
        counted = other.group(0).strip().lower() if other else None
    start, end = figure.start, figure.end
    before = lex.person_before.search(sentence, max(0, start - 60), start) if lex.person_before else None
    metric = figure.metric
    if metric not in lex.casualty_metrics:
        # "killed his wife and three children": the verb governs the person, whose count has the metric
        metric = None if before is None else next(
            (f.metric for f in out[-LOOKBACK_FIGURES:] if f.implicit and f.metric in lex.casualty_metrics
             and before.start() <= f.start < before.end()), None)
    if metric is None or not counted or counted.split()[-1] not in people.get(metric, ()):
        return figure, out
    after = None
    tail = sentence[end : end + 40].lower().find(counted)
    tail = end + tail if tail >= 0 else -1
    if lex.person_after and tail >= 0 and not sentence[end:tail].strip(" -").count(" ") > 2:
        after = lex.person_after.match(sentence, tail + len(counted))
    if before is None and after is None:
        return figure, out
    if before is not None:
        start = before.start()
        if tail >= 0 and not sentence[end:tail].strip(" -").count(" ") > 2:
            end = tail + len(counted)  # "a man and two girls"
    if after is not None:
        end = after.end("who")
    others = [f for f in spans.overlapping(start, end) if f is not figure]
    if any(not (f.implicit and f.metric in lex.casualty_metrics) and f.metric != "age" for f in others):
        return figure, out
    ages = [f for f in others if f.metric == "age"]
    if ages:  # ages inside the list stay age claims; the surface starts after the last of them
        start = _AFTER_AGE_RE.match(sentence, max(f.end for f in ages)).end()
    value = figure.value + (before is not None) + (after is not None)
    out = _without_overlapping_persons(out, start, end)
    return replace(figure, start=start, end=end, value=value, lower=value, upper=value, counted="people",
                   metric=metric).by("casualty.listed_person"), out


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
    # every candidate starts with a digit, a point, a vulgar fraction or a word's first letter: a
    # look-ahead for that lets the engine leave other positions (mid-word, spaces) at once
    start = rf"(?:(?=[\d.{''.join(VULGAR)}])|(?<!\w)(?=[a-z]))"
    return re.compile(rf"{start}(?:\b(?P<vague>{vague})\b|{_PART_OF_UNIT}|(?P<num>{NUMBER_RE.pattern}))", re.IGNORECASE)


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
    if number.unit is None and _looks_like_unit(sentence, number.num_start, number.end):
        unit = _quantulum_unit(sentence, number.num_start, number.end)
        if unit is not None:
            number = replace(number, unit=unit, end=unit.end, rules=number.rules + ("unit.quantulum3",))
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


_SPACES_RE = re.compile(r"\s*")
_DIGIT_BEFORE_RE = re.compile(r"\d\s*$")
_OF_RE = re.compile(r"\s+of\s+")
_OF_WORD_RE = re.compile(r"\s+of\b")
