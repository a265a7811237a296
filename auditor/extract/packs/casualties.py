"""The casualty pack: counts of killed, injured and shot people as crime and disaster news writes
them, apart from the generic scanner (its words and examples: rules/packs/casualties.yaml).

Per sentence (``sentence_figures``, after the scanner's figures): lists of ages ("two men, aged 20
and 22") are ages, not counts; a person with a casualty verb is an implicit count of one ("a man
was killed" -> killed 1); a count and persons joined by "and" are one count, their sum ("a man and
two girls were hurt" -> injured 3); counts over several separate events take no casualty metric.
Per document (``document_claims``): a person in a document that states a larger count of the
same metric is one of them, not the count. Off (``packs`` in rules/extraction.yaml, or ``auditor
extract --no-pack casualties``), none of this runs and no figure takes a casualty metric from a
partitive rule."""

from __future__ import annotations

import bisect
import collections
import itertools
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ...ruleset import load_rules_file, pack_file_in
from ..alternation import trie_alternation
from ..counted import singular
from ..figure import LOOKBACK_FIGURES, Figure
from ..vocabulary import Lexicon

NAME = "casualties"


def sentence_figures(sentence: str, figures: list[Figure], lex: Lexicon, rejected: list) -> list[Figure]:
    """The sentence's figures with the pack's readings: ages in lists, implicit counts, summed parts."""
    words = pack_words(lex.rules_dir)
    if figures:
        figures = _ages_in_lists(sentence, figures, words)
    figures = _with_implicit(sentence, figures, words, rejected)
    return _summed_parts(sentence, figures, lex, words) if figures else figures


def document_claims(claims: list[dict], implicit: list[bool], lex: Lexicon) -> list[dict]:
    """An implicit count ("a 24-year-old man was shot in the leg") in a document that states a larger
    count of the same casualty metric ("six people were wounded") describes one of them: it is no
    count of the event, so it keeps its person as metric and is never checked against the total."""
    casualty = lex.casualty_metrics
    largest: dict[str, float] = {}
    for claim, person in zip(claims, implicit):
        if not person and claim["metric"] in casualty and claim["change"] is None:
            largest[claim["metric"]] = max(largest.get(claim["metric"], 0.0), claim["value"])
    for claim, person in zip(claims, implicit):
        if person and largest.get(claim["metric"], 0.0) > claim["value"]:
            claim["metric"] = claim["counted"]
            claim["extracted_by"] += " casualty.person_in_larger_count"
    return claims


@dataclass(frozen=True)
class Words:
    """rules/packs/casualties.yaml compiled."""
    implicit_subject: re.Pattern | None
    implicit_object: re.Pattern | None
    implicit_verbs: re.Pattern | None
    several_events: re.Pattern | None
    # one person of implicit_one before or after a count in a list: "a man and two girls", "three women and a boy"
    person_before: re.Pattern | None
    person_after: re.Pattern | None
    age_lists: tuple
    and_uncounted: re.Pattern


@lru_cache(maxsize=None)
def pack_words(rules_dir: Path) -> Words:
    """The pack's words from rules/packs/casualties.yaml of ``rules_dir`` (else the bundled one)."""
    spec = load_rules_file(pack_file_in(rules_dir, NAME), f"packs/{NAME}.yaml")
    implicit = spec.get("implicit_one")
    return Words(
        implicit_subject=_implicit_re(implicit, "subject"),
        implicit_object=_implicit_re(implicit, "object"),
        implicit_verbs=_implicit_verbs_re(implicit),
        several_events=_words_re((spec.get("casualty_counts") or {}).get("several_events")),
        person_before=_listed_person_re(implicit, before=True),
        person_after=_listed_person_re(implicit, before=False),
        age_lists=_age_list_res(spec.get("plural_persons_with_ages") or []),
        and_uncounted=_and_uncounted_re(spec.get("uncounted_plurals") or []),
    )


def _alt(words, casefold: bool = False) -> str:
    return trie_alternation(words, spaces=r"\s+", casefold=casefold)


def _words_re(words) -> re.Pattern | None:
    return re.compile(rf"\b(?:{_alt(words, casefold=True)})\b", re.IGNORECASE) if words else None


def _implicit_verbs_re(spec: dict | None) -> re.Pattern | None:
    """A cheap first pass: the sentence holds one of the implicit_one verbs at all. Each verb phrase is
    looked for by its longest word, the rarest one ("treated" of "treated for", not "for"): a phrase
    cannot be there without it, and most sentences have none."""
    if not spec:
        return None
    words = {max(w.split(), key=len) for form in ("subject", "object") for ws in (spec.get(form) or {}).values() for w in ws}
    return re.compile(rf"\b(?:{_alt(words)})\b")


def _listed_person_re(spec: dict | None, before: bool) -> re.Pattern | None:
    """One person joined by "and" to a count: before it ("a man and | two girls", "his wife and | three
    children") or after its counted noun ("three women| and a boy")."""
    if not spec or not spec.get("persons"):
        return None
    person = (rf"\b(?:[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+(?:(?!(?:and|or)\b)[\w'’-]+\s+){{0,3}}?"
              rf"(?:{_alt(spec['persons'])})\b")
    if before:
        return re.compile(rf"{person}\s+and\s+(?:(?:his|her|their)\s+)?$")
    # a singular verb after the person starts a clause of its own: "killed three people and a man was arrested"
    return re.compile(rf"\s+and\s+(?P<who>{person})(?!\s+of\b|\s*,?\s+and\b|-|\s+(?:was|is|has|had|remains|died|dies)\b)")


MAX_LISTED_PERSONS = 16


def _implicit_re(spec: dict | None, form: str) -> re.Pattern | None:
    """The "a man ... killed" pattern of rules/taxonomy.yaml implicit_one; one group per metric."""
    if not spec or not spec.get(form):
        return None
    # an age used as the person: "a 6-year-old is dead", "the 17-year-old was wounded"
    persons = _alt(spec["persons"])
    persons += rf"|\d{{1,3}}[- ](?:year|month)s?[- ]old(?!\s+(?:[\w'’-]+\s+){{0,2}}?(?:{persons})\b)"
    modifier = r"(?!(?:and|or)\b)[\w'’-]+\s+"  # "a 19-year-old", "his younger"; a list word ends the person
    person = rf"\b(?:[Aa]n?|[Hh]is|[Hh]er|[Tt]heir|[Tt]he)\s+(?:{modifier}){{0,3}}?(?P<n1>{persons})\b"
    # more persons listed with "and", the determiner left out or not: "a man and a woman", "a father and
    # daughter", "his mother, stepfather, and grandmother" (group `more`, one person per joint)
    also = rf"(?:(?:an?|his|her|their|the)\s+)?(?:(?![\w'’-]*(?:ed|ing)\s){modifier}){{0,2}}?(?:{persons})\b"
    # (", and" only after a comma list: "a 14-year-old boy, and son of an officer" is one person)
    also += r"(?!\s+of\b)"
    # each listed person is read one way only (atomic: "a man" is a determiner and a noun, never also a
    # modifier "a" and a noun, which made a long list without "and" backtrack exponentially), and a list
    # holds at most MAX_LISTED_PERSONS, so that a sentence of persons is read in linear time
    people = person + rf"(?P<more>(?:(?:\s*,\s*(?>{also})){{1,{MAX_LISTED_PERSONS}}}\s*,?)?\s+and\s+(?>{also}))?"
    verbs = "|".join(rf"(?P<m_{metric}>{_alt(words)})" for metric, words in spec[form].items())
    if form == "subject":
        if spec.get("pronouns"):  # "he died at the hospital": one person, who is named elsewhere
            people = rf"(?:{people}|\b(?P<pronoun>{_alt(spec['pronouns'] + [p.capitalize() for p in spec['pronouns']])}))"
        between = rf"(?:(?:{_alt(spec['between'])})\s+){{0,7}}?"
        return re.compile(rf"(?P<who>{people})(?:\s*,\s*\d{{1,3}}\s*,)?\s+{between}(?:{verbs})\b")
    return re.compile(rf"\b(?:{verbs})\s+(?P<who>{people})")


# A list of ages: after "ages"/"aged"/"the age of" ("two men, ages 20 and 22", "a child under the age of 10"), after ", both" ("Aiken and Clark,
# both 21, were killed"), in apposition to plural persons ("wounded two men, 19 and 20, who"), and
# "one 16 and the other 17". Every number of the list is an age, none is a count of people.
_AGE_NUMBER = r"\d{1,3}"
_AGE_LIST = rf"{_AGE_NUMBER}(?:\s*,\s*(?:and\s+|or\s+)?{_AGE_NUMBER}|\s*,?\s*(?:and|or|to)\s+{_AGE_NUMBER})*"
def _age_list_res(plural_persons: list[str]) -> tuple[re.Pattern, ...]:
    return (
        re.compile(rf"\b(?:[Aa]ged?|[Aa]ges)\s+(?:of\s+)?(?P<ages>{_AGE_LIST})\b(?!\s*(?:%|percent|years?\s+(?:ago|later|earlier)))"),
        re.compile(rf",\s*both\s+(?P<ages>{_AGE_NUMBER})\b(?=\s*(?:[,;(.)—–-]|$|and\b|of\b))"),
        re.compile(rf"(?:\b(?:{'|'.join(map(re.escape, plural_persons))})|"
                   rf"\b(?:two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[\w'’-]+\s+){{0,2}}[A-Za-z'’-]+s),\s*"
                   rf"(?P<ages>{_AGE_NUMBER}(?:\s*,\s*{_AGE_NUMBER})*\s*,?\s*(?:and|or)\s+{_AGE_NUMBER})"
                   rf"(?=\s*(?:[,;(.)—–-]|$|(?:who|were|are|was|is)\b))"),
        re.compile(rf"\bone\s+(?P<ages>{_AGE_NUMBER}\s*,?\s+and\s+the\s+other\s+{_AGE_NUMBER})\b"),
        # the second of two named persons with their ages: "Dennie Reeves, 66 and Ginger Reeves, 64 were found"
        re.compile(rf"\b[A-Z][\w'’-]+,\s*{_AGE_NUMBER}\s+and\s+(?:[A-Z][\w'’.-]*\s+){{0,3}}[A-Z][\w'’-]+,\s*"
                   rf"(?P<ages>{_AGE_NUMBER})\b(?!\s*(?:%|percent|people|persons|others))"),
    )


def _could_be_age(figure: Figure) -> bool:
    return figure.kind == "count" and not figure.unit and figure.change is None and 1 <= figure.value <= 120


def _ages_in_lists(sentence: str, figures: list[Figure], words: "Words") -> list[Figure]:
    if not any(_could_be_age(f) for f in figures):
        return figures  # no list of ages to look for
    spans = sorted(m.span("ages") for pattern in words.age_lists for m in pattern.finditer(sentence))
    if not spans:
        return figures
    starts = [a for a, _ in spans]
    reach = list(itertools.accumulate((b for _, b in spans), max))  # the furthest end of the spans so far
    out = []
    for figure in figures:
        k = bisect.bisect_right(starts, figure.start)
        if _could_be_age(figure) and k and reach[k - 1] >= figure.end:
            figure = replace(figure, unit="year", kind="measure", counted="age", metric="age").by("age.list")
        out.append(figure)
    return out


def _with_implicit(sentence: str, figures: list[Figure], words: "Words", rejected: list) -> list[Figure]:
    """Add the implicit counts of rules/packs/casualties.yaml implicit_one ("a man was shot and killed"
    -> killed 1, surface "a man"). A person phrase that holds a figure ("a 17-year-old boy")
    keeps only its noun as the surface, so claims never overlap."""
    found = []
    if words.implicit_verbs is None or not words.implicit_verbs.search(sentence):
        return figures
    taken = _Spans(figures)  # the figures and the persons found so far, for overlap look-ups
    for pattern in (words.implicit_subject, words.implicit_object):
        if pattern is None:
            continue
        for match in pattern.finditer(sentence):
            metric = next(k[2:] for k, v in match.groupdict().items() if k.startswith("m_") and v)
            if metric == "injured" and _DIES_LATER_RE.match(sentence, match.end()):
                continue  # "a boy was shot in the leg and later died": killed, not injured
            if _PART_BEFORE_RE.search(sentence, max(0, match.start("who") - 20), match.start("who")):
                continue  # "four people including a 12-year-old and an 8-year-old were injured": a part
            if words.and_uncounted.match(sentence, match.end("who")):
                continue  # "killed his wife and children": more persons than the one, and no count of them
            if _ORDINAL_RE.search(match.group("who")):
                continue  # "a fourth person suffered a graze wound": one more of several, not the count
            if pattern is words.implicit_subject and _is_active(sentence, match, metric):
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
            form = "casualty.implicit_subject" if pattern is words.implicit_subject else "casualty.implicit_object"
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


def _and_uncounted_re(plurals: list[str]) -> re.Pattern:
    return re.compile(
        r"\s+and\s+(?:(?:his|her|their|the|several|other)\s+)?(?:(?!(?:\d|one|two|three|four|five|six|seven|eight|nine|ten)\b)"
        rf"[\w'’-]+\s+)?(?:{'|'.join(map(re.escape, plurals))})\b", re.IGNORECASE)
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


def _summed_parts(sentence: str, figures: list[Figure], lex: Lexicon, words: "Words") -> list[Figure]:
    """Counts of people listed with "and" under one casualty metric are one count, their sum
    (rules/packs/casualties.yaml casualty_counts): "injuring four men and two women" -> injured 6, surface
    "four men and two women"; "three women and a man were wounded" -> 4. Each part alone is not
    the count of the event. A part whose own clause names no metric takes the other's ("killed
    two soldiers and three civilians": the verb governs both)."""
    people = {metric: applies for metric, _, applies, _ in lex.metric_context}
    taxonomy = set(people) | set(lex.metric_nouns.values())  # "4,000 soldiers" are troops, no part of a casualty list
    several = _several_events(sentence, words)
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
            figure, out = _with_listed_person(sentence, figure, out, spans, lex, words, people)
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


def _several_events(sentence: str, words: "Words") -> bool:
    """The sentence is about several separate events (rules/packs/casualties.yaml casualty_counts.several_events)."""
    if words.several_events is None:
        return False
    return any(not _COMPARED_RE.search(sentence, max(0, m.start() - 60), m.start())
               for m in words.several_events.finditer(sentence))


_OTHER_NOUN_RE = re.compile(r"\s+(?:other|more|additional)\s+[a-z]+\b", re.IGNORECASE)


def _with_listed_person(sentence: str, figure: Figure, out: list[Figure], spans: _Spans, lex: Lexicon,
                        words: "Words", people: dict) -> tuple[Figure, list[Figure]]:
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
    before = words.person_before.search(sentence, max(0, start - 60), start) if words.person_before else None
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
    if words.person_after and tail >= 0 and not sentence[end:tail].strip(" -").count(" ") > 2:
        after = words.person_after.match(sentence, tail + len(counted))
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


_SPACES_RE = re.compile(r"\s*")
