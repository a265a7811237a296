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


from ..errors import RulesError
from ..resources import BUNDLED_RULES_DIR as RULES_DIR
from ..ruleset import load_rules_file, pack_file_in
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


class _Setting:
    """A process-wide value (set once by the CLI before any extraction)."""

    def __init__(self, value):
        self._value = value

    def get(self):
        return self._value

    def set(self, value) -> None:
        self._value = value


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
    designation_after: re.Pattern | None
    year_before: re.Pattern
    time_after: re.Pattern
    ordinal_after: re.Pattern
    score_words: frozenset
    record_after: re.Pattern
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
    casualty_metrics: frozenset = frozenset()
    partitive_excluded: frozenset = frozenset()
    rules_dir: Path = RULES_DIR
    packs: tuple = ()  # the rule packs switched on (rules/extraction.yaml `packs`, less --no-pack)
    range_joiner: re.Pattern | None = None  # a joiner of rules/extraction.yaml range_joiners, and a hedge after it

    @cached_property
    def metric_names(self) -> frozenset:
        """The metrics rules/taxonomy.yaml defines (a metric read from them, not from the counted noun)."""
        return frozenset(self.metric_nouns.values()) | frozenset(m for m, _, _, _ in self.metric_context)


def lexicon(rules_dir: Path | None = None) -> Lexicon:
    """The compiled word lists of ``rules_dir``, by default of the rules folder in use, less the packs
    switched off."""
    return _lexicon(Path(rules_dir) if rules_dir is not None else _in_use, DISABLED_PACKS.get())


# the packs turned off for this process (``auditor extract --no-pack NAME``); worker processes fork
# with it
DISABLED_PACKS = _Setting(frozenset())


@lru_cache(maxsize=None)
def _lexicon(rules_dir: Path, disabled: frozenset) -> Lexicon:
    from .packs import PACKS

    rules = load_rules_file(rules_dir / "extraction.yaml", "extraction.yaml")
    packs = tuple(p for p in rules.get("packs", ()) if p not in disabled)
    unknown = [p for p in packs if p not in PACKS]
    if unknown:
        raise RulesError(f"{rules_dir / 'extraction.yaml'}: packs: no pack named '{unknown[0]}' (known: {', '.join(PACKS)})")
    # each pack's file: rules/packs/NAME.yaml of the rules folder, else the bundled one
    specs = {p: load_rules_file(pack_file_in(rules_dir, p), f"packs/{p}.yaml") for p in packs}
    casualty = specs["casualties"].get("casualty_counts") or {} if "casualties" in specs else {}
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
        designation_after=(re.compile(rf"\s(?:{trie_alternation(rules['designation_after'])})\b")
                           if rules.get("designation_after") else None),
        year_before=_phrases_re(rules["year_before"], before=True),
        time_after=_phrases_re(rules["time_after"], before=False),
        ordinal_after=re.compile(rf"(?:{'|'.join(rules['ordinal_suffixes'])})\b", re.IGNORECASE),
        score_words=frozenset(w.lower() for w in rules["score_context"]),
        record_after=_phrases_re(rules["record_after"], before=False) if rules.get("record_after") else re.compile(r"(?!)"),
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
        # the casualty pack's metrics (rules/packs/casualties.yaml), read by the partitive rule of counted.py;
        # none while the pack is off
        casualty_metrics=frozenset(casualty.get("metrics") or ()),
        partitive_excluded=frozenset(casualty.get("not_for_parts") or ()),
        rules_dir=rules_dir,
        packs=packs,
        range_joiner=_joiner_re(rules["range_joiners"], rules["range_hedges"]),
    )


def _joiner_re(joiners, hedges) -> re.Pattern:
    """The words between the two figures of a range: "-", " to about ", " and "."""
    joiner = "|".join(re.escape(j) for j in sorted(set(joiners), key=len, reverse=True))
    hedge = "|".join(re.escape(h) for h in sorted(set(hedges), key=len, reverse=True))
    return re.compile(rf"\s*(?:{joiner})\s*(?:(?:{hedge})\s*)?", re.IGNORECASE)


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
