"""The Lexicon: the word lists of rules/extraction.yaml, taxonomy.yaml and units.yaml compiled into regexes once.

Which rules folder: the one in use (``rules_in_use``: the ``--rules`` folder of a run, set by the
extract stage for the documents it extracts), else the bundled rules.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from ..resources import BUNDLED_RULES_DIR as RULES_DIR
from ..ruleset import load_rules_file
from .alternation import trie_alternation

_in_use: Path = RULES_DIR  # the rules folder lexicon() and units.tables() compile


def rules_dir_in_use() -> Path:
    return _in_use


@contextmanager
def rules_in_use(rules_dir: str | Path | None):
    """Extract with the rules of ``rules_dir`` (None: keep the folder in use) inside the block."""
    global _in_use
    previous = _in_use
    _in_use = Path(rules_dir) if rules_dir is not None else previous
    try:
        yield _in_use
    finally:
        _in_use = previous


def _phrases_re(phrases, before: bool) -> re.Pattern:
    """Whole-word phrases, longest first, anchored to the end (before) or start (after)."""
    alternation = trie_alternation(phrases, casefold=True)
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
    casualty_metrics: frozenset = frozenset()
    partitive_excluded: frozenset = frozenset()
    several_events: re.Pattern | None = None
    # one person of implicit_one before or after a count in a list: "a man and two girls", "three women and a boy"
    person_before: re.Pattern | None = None
    person_after: re.Pattern | None = None
    range_joiner: re.Pattern | None = None  # a joiner of rules/extraction.yaml range_joiners, and a hedge after it

    @cached_property
    def metric_names(self) -> frozenset:
        """The metrics rules/taxonomy.yaml defines (a metric read from them, not from the counted noun)."""
        return frozenset(self.metric_nouns.values()) | frozenset(m for m, _, _, _ in self.metric_context)


def lexicon(rules_dir: Path | None = None) -> Lexicon:
    """The compiled word lists of ``rules_dir``, by default of the rules folder in use."""
    return compiled_lexicon(Path(rules_dir) if rules_dir is not None else _in_use)


@lru_cache(maxsize=None)
def compiled_lexicon(rules_dir: Path) -> Lexicon:
    rules = load_rules_file(rules_dir / "extraction.yaml", "extraction.yaml")
    taxonomy = load_rules_file(rules_dir / "taxonomy.yaml", "taxonomy.yaml")
    units = load_rules_file(rules_dir / "units.yaml", "units.yaml")

    def inverted(mapping):
        return {p.lower(): key for key, phrases in mapping.items() for p in phrases}

    q_before, q_after = inverted(rules["qualifiers_before"]), inverted(rules["qualifiers_after"])
    changes = inverted(rules["change_words"])
    gap = trie_alternation(rules["change_gap"], casefold=True)
    change_alt = trie_alternation(changes, casefold=True)
    vague = {k.lower(): tuple(float(x) for x in v) for k, v in rules["vague_amounts"].items()}
    vague_alt = trie_alternation(vague, casefold=True)
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
        person_before=_listed_person_re(taxonomy.get("implicit_one"), before=True),
        person_after=_listed_person_re(taxonomy.get("implicit_one"), before=False),
        casualty_metrics=frozenset((taxonomy.get("casualty_counts") or {}).get("metrics") or ()),
        partitive_excluded=frozenset((taxonomy.get("casualty_counts") or {}).get("not_for_parts") or ()),
        several_events=_words_re((taxonomy.get("casualty_counts") or {}).get("several_events")),
        range_joiner=_joiner_re(rules["range_joiners"], rules["range_hedges"]),
    )


def _joiner_re(joiners, hedges) -> re.Pattern:
    """The words between the two figures of a range: "-", " to about ", " and "."""
    joiner = "|".join(re.escape(j) for j in sorted(set(joiners), key=len, reverse=True))
    hedge = "|".join(re.escape(h) for h in sorted(set(hedges), key=len, reverse=True))
    return re.compile(rf"\s*(?:{joiner})\s*(?:(?:{hedge})\s*)?", re.IGNORECASE)


def _alt(words, casefold: bool = False) -> str:
    return trie_alternation(words, spaces=r"\s+", casefold=casefold)


def _words_re(words) -> re.Pattern | None:
    return re.compile(rf"\b(?:{_alt(words, casefold=True)})\b", re.IGNORECASE) if words else None


def _implicit_verbs_re(spec: dict | None) -> re.Pattern | None:
    """A cheap first pass: the sentence holds one of the implicit_one verbs at all."""
    if not spec:
        return None
    words = {w.split()[-1] for form in ("subject", "object") for ws in (spec.get(form) or {}).values() for w in ws}
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


def _taxonomy(taxonomy: dict):
    """(noun -> metric, [(metric, context words, nouns it applies to, fallback)], multiword nouns)."""
    groups = {name: frozenset(w.lower() for w in words) for name, words in (taxonomy.get("groups") or {}).items()}
    nouns, context = {}, []
    for metric, spec in taxonomy["metrics"].items():
        for noun in spec.get("nouns") or []:
            nouns.setdefault(noun.lower(), metric)
        if spec.get("context"):
            applies = spec.get("applies_to") or []
            applies = groups[applies] if isinstance(applies, str) else frozenset(a.lower() for a in applies)
            context.append((metric, tuple(c.lower() for c in spec["context"]), applies, bool(spec.get("fallback"))))
    phrases = frozenset(n for n in nouns if " " in n) | frozenset(
        a for _, _, applies, _ in context for a in applies if " " in a
    )
    return nouns, context, phrases
