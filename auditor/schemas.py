"""The shape of every rules file, declared as JSON Schema: one schema per file of rules/.

ruleset.py validates each file against its schema when it is loaded (jsonschema), so a typo'd
key or a value of the wrong type stops the run with the file, the key and the line, instead of
being silently ignored. A new setting is a new line here, next to the code that reads it.
"""

from __future__ import annotations

from .columns import CHANGES, CLAIM_COLUMNS, QUALIFIERS

WORDS = {"type": "array", "items": {"type": "string"}}
WORD_MAP = {"type": "object", "additionalProperties": {"type": "string"}}  # written form -> canonical name
NUMBER = {"type": "number"}
PROBABILITY = {"type": "number", "minimum": 0, "maximum": 1}


def strict(properties: dict, required=()) -> dict:
    """An object with exactly these keys (the ones in `required` must be there)."""
    return {"type": "object", "properties": properties, "required": list(required), "additionalProperties": False}


def keyed(values: dict, keys=None) -> dict:
    """An object whose keys are free (or one of `keys`) and whose values all have one shape."""
    schema = {"type": "object", "additionalProperties": values}
    if keys is not None:
        schema["propertyNames"] = {"enum": list(keys)}
    return schema


BOUNDED_QUALIFIERS = [q for q in QUALIFIERS if q not in ("exact", "range")]

EXTRACTION = strict({
    "qualifiers_before": keyed(WORDS, BOUNDED_QUALIFIERS),
    "qualifier_signs": keyed({"enum": BOUNDED_QUALIFIERS}),
    "qualifiers_after": keyed(WORDS, BOUNDED_QUALIFIERS),
    "range_joiners": WORDS,
    "range_hedges": WORDS,
    "vague_needs_of": WORDS,
    "change_words": keyed(WORDS, CHANGES),
    "change_gap": WORDS,
    "vague_amounts": keyed({"type": "array", "items": NUMBER, "minItems": 2, "maxItems": 2}),
    "attribution_verbs": WORDS,
    "attribution_prefixes": WORDS,
    "noun_stop_words": WORDS,
    "counted_loose_modifiers": WORDS,
    "designation_before": WORDS,
    "designation_after": WORDS,  # capitalised words after a figure that make it a model name
    "year_before": WORDS,
    "time_after": WORDS,
    "ordinal_suffixes": WORDS,
    "not_fractions": WORDS,
    "score_context": WORDS,
    "record_after": WORDS,
    "one_not_count_before": WORDS,
    "idioms": WORDS,
    "one_not_count_after": WORDS,
    "packs": WORDS,  # the rule packs switched on (rules/packs/, on main since this schema was written)
}, required=[
    "qualifiers_before", "qualifier_signs", "qualifiers_after", "range_joiners", "range_hedges", "vague_needs_of",
    "change_words", "change_gap", "vague_amounts", "attribution_verbs", "attribution_prefixes", "noun_stop_words",
    "counted_loose_modifiers", "designation_before", "year_before", "time_after", "ordinal_suffixes",
    "not_fractions", "score_context", "one_not_count_before", "idioms", "one_not_count_after",
])

TAXONOMY = strict({
    "groups": keyed(WORDS),
    "metrics": keyed(strict({
        "nouns": WORDS,
        "context": WORDS,
        "applies_to": {"anyOf": [{"type": "string"}, WORDS]},  # a group name or the nouns themselves
        "fallback": {"type": "boolean"},
    })),
    # (casualty_counts and implicit_one moved to the casualty pack, rules/packs/casualties.yaml: in a
    # taxonomy they would be read by nothing, so they are unknown keys here)
}, required=["metrics"])

UNITS = strict({
    "symbols": WORD_MAP,
    "glued_symbols": WORD_MAP,
    "words": WORD_MAP,
    "compound": {"type": "array", "items": {
        "type": "array", "prefixItems": [{"type": "string"}, {"type": "string"}, NUMBER], "minItems": 3, "maxItems": 3,
    }},
    "time_reference_after": WORDS,
    "per_things": WORD_MAP,
}, required=["symbols", "words", "compound", "time_reference_after"])

CURRENCIES = strict({
    "prefix": WORD_MAP,
    "suffix": WORD_MAP,
    "minor": keyed(strict({"unit": {"type": "string"}, "factor": NUMBER}, required=["unit", "factor"])),
}, required=["prefix", "suffix", "minor"])

JUDGEMENT_SETTINGS = {"approx_tolerance": {"type": "number", "minimum": 0}, "honour_rounding": {"type": "boolean"},
                      "cumulative": {"type": "boolean"}}

JUDGEMENT = strict({
    "defaults": strict(JUDGEMENT_SETTINGS, required=list(JUDGEMENT_SETTINGS)),
    "metrics": keyed(strict(JUDGEMENT_SETTINGS)),  # a metric of rules/taxonomy.yaml -> its overrides
    "alignment": strict({
        "previous_before": WORDS,
        "previous_after": WORDS,
        "count_units": WORDS,
    }),
    "stories": strict({"min_similarity": PROBABILITY, "window_days": {"type": "integer", "minimum": 0}}),
    "plausibility": strict({"percent_can_exceed_100_near": WORDS}),
}, required=["defaults"])

SUITE = strict({
    "name": {"type": "string"},
    "expectations": {"type": "array", "items": strict({
        "type": {"type": "string"},  # a Great Expectations expectation; its kwargs are checked by GX itself
        "kwargs": {"type": "object"},
        "meta": strict({
            "check_id": {"type": "string"},
            "finding_type": {"type": "string"},
            "group_by": {"enum": ["group", "claim", "story_metric"]},  # what one finding gathers
            "computation": {"type": "string"},  # a name of check/validate.py COMPUTATIONS
            "description": {"type": "string"},
        }, required=["check_id", "finding_type"]),
        "severity": {"enum": ["critical", "warning", "info"]},
    }, required=["type", "meta"])},
}, required=["name", "expectations"])

CASE_CLAIM = strict({
    **{column: {} for column in CLAIM_COLUMNS},
    "doc": {"type": "string"},  # the document a claim comes from (a letter)
    "id": {"type": "string"},
    "value": NUMBER,
    "qualifier": {"enum": list(QUALIFIERS)},
}, required=["value"])

CASES = strict({
    "cases": {"type": "array", "items": strict({
        "name": {"type": "string"},
        "check": {"type": "string"},
        "expect": {"enum": ["pass", "fail"]},
        "claims": {"type": "array", "items": CASE_CLAIM, "minItems": 1},
        "reference": {"type": "array", "items": {"type": "object"}},
        "flagged": WORDS,
    }, required=["name", "check", "expect", "claims"])},
}, required=["cases"])

# claim-frame word lists (auditor/align/frames.py): every key a list of words
FRAMES = keyed(WORDS)

# the pair model (auditor/align/pairs.py, fitted by scripts/fit_links.py): thresholds and the file of
# its fitted trees, whose feature names pairs.py checks against its FEATURES
LINKS = strict({
    "version": {},
    "link_threshold": PROBABILITY,
    "confident_conflict": PROBABILITY,
    "declared_link": PROBABILITY,
    "other_time_link": PROBABILITY,
    "same_sentence": PROBABILITY,
    "forest": {"type": "string"},
}, required=["forest"])

# declared patterns (rules/patterns/*.yaml, read by auditor/extract/patterns.py): each file is a list
# of patterns; the regexes themselves are compiled (and their errors named) by the loader
TEXT = {"type": "string", "minLength": 1}
PATTERN_CLAIM = strict({
    "span": TEXT,  # the group that is the claim's surface (default: the whole match)
    "value": {"type": ["string", "number"]},  # arithmetic over the match's groups, or a constant
    "lower": {"type": ["string", "number"]},
    "upper": {"type": ["string", "number"]},
    "unit": {"type": "string"},  # may name groups: "{u}"
    "kind": {"enum": ["count", "money", "percent", "measure"]},
    "qualifier": {"type": "string"},  # a qualifier, or "{group}" read through the pattern's `qualifiers`
    "counted": {"type": "string"},
}, required=["value"])
EXAMPLE_CLAIM = strict({**{column: {} for column in CLAIM_COLUMNS}, "value": NUMBER}, required=["value"])
PATTERN = strict({
    "id": TEXT,
    "description": TEXT,
    "match": TEXT,
    "needs": WORDS,
    "not_before": TEXT,
    "not_after": TEXT,
    "on_overlap": {"enum": ["skip", "replace"]},
    "mode": {"enum": ["add", "amend"]},
    "words": keyed(NUMBER),  # a word of a group -> its number ("dozen": 12)
    "qualifiers": keyed({"enum": list(QUALIFIERS)}),  # a group's text -> the qualifier it means
    "claims": {"type": "array", "items": PATTERN_CLAIM, "minItems": 1},
    "pass": {"type": "array", "minItems": 1, "items": strict({
        "text": TEXT,
        "claims": {"type": "array", "items": EXAMPLE_CLAIM, "minItems": 1},
    }, required=["text", "claims"])},
    "fail": {"type": "array", "items": TEXT, "minItems": 1},
}, required=["id", "description", "match", "claims", "pass", "fail"])
PATTERNS = {"type": "array", "items": PATTERN}

# rule packs (rules/packs/NAME.yaml, auditor/extract/packs/NAME.py): what every pack declares, then each
# pack's own words
PACK_RULE = strict({
    "id": TEXT,
    "description": TEXT,
    "pass": {"type": "array", "items": TEXT, "minItems": 1},  # invented sentences the id decides something in
    "fail": {"type": "array", "items": TEXT, "minItems": 1},  # and nothing in
}, required=["id", "description", "pass", "fail"])
PACK_COMMON = {"name": TEXT, "description": TEXT, "rules": {"type": "array", "items": PACK_RULE, "minItems": 1}}
PACK_WORDS = {
    "casualties": {  # auditor/extract/packs/casualties.py
        "casualty_counts": strict({"metrics": WORDS, "not_for_parts": WORDS, "several_events": WORDS}),
        "implicit_one": strict({
            "pronouns": WORDS,
            "persons": WORDS,
            "between": WORDS,
            "subject": keyed(WORDS),  # metric -> verbs
            "object": keyed(WORDS),
        }),
        "plural_persons_with_ages": WORDS,
        "uncounted_plurals": WORDS,
    },
}


def pack_schema(name: str | None = None) -> dict:
    """The schema of rules/packs/NAME.yaml: the common keys, `name` equal to NAME, and the pack's words
    (a file of no known pack has the common keys only, so any word list in it is an unknown key)."""
    properties = {**PACK_COMMON, **({"name": {"const": name}} if name else {}), **PACK_WORDS.get(name, {})}
    return strict(properties, required=["name", "description", "rules"])


# rules file (relative to the rules folder) -> its schema; suites/ and cases/ hold one file per suite,
# patterns/ one list of patterns per file, packs/ one file per pack
SCHEMAS = {
    "extraction.yaml": EXTRACTION,
    "taxonomy.yaml": TAXONOMY,
    "units.yaml": UNITS,
    "currencies.yaml": CURRENCIES,
    "judgement.yaml": JUDGEMENT,
    "frames.yaml": FRAMES,
    "links.yaml": LINKS,
    "suites": SUITE,
    "cases": CASES,
    "patterns": PATTERNS,
    "packs": pack_schema(),  # (any pack; schema_for gives each file its own)
}


def schema_for(relative_path: str) -> dict:
    name, _, rest = relative_path.partition("/")
    if name == "packs" and rest:
        return pack_schema(rest.removesuffix(".yaml"))
    return SCHEMAS[name]
