"""Column names of every table that passes between stages: the one place they are spelled.

Other modules import these tuples (and the names) instead of retyping strings, so
a renamed column is a one-line change and a test can check each table's shape.
"""

# documents: what ingest hands to extract
DOCUMENT_COLUMNS = ("doc_id", "source", "url", "title", "published_at", "story", "text")

# claims: the contract other tools rely on (see DESIGN.md, "The claim record")
CLAIM_COLUMNS = (
    "claim_id",
    "doc_id",
    "source",
    "published_at",
    "story",
    "start",
    "end",
    "surface",
    "sentence",
    "value",
    "lower",
    "upper",
    "qualifier",
    "change",
    "unit",
    "counted",
    "metric",
    "attribution",
    "extracted_by",  # ids of the extraction rules that made the claim, space-separated ("number.digits unit.percent")
)

# added by align: the story, the group of claims about the same thing, the role of the figure
# in its sentence (current, or an earlier value it is compared with), and the interval the claim
# asserts after judgement (lo, hi), in the base unit of its dimension
ALIGN_COLUMNS = ("story_id", "group_id", "role", "dimension", "lo", "hi", "measured", "entity", "time",
                 "frame_role", "link_confidence", "link_words")

# the claim frame (auditor/align/frames.py), part of ALIGN_COLUMNS: the measured phrase, whose
# figure it is, the time it is anchored to ("" = the story's own) and its role in the story
FRAME_COLUMNS = ("measured", "entity", "time", "frame_role")
FRAME_ROLES = ("story", "part", "comparison", "background", "quote")

# added by check: the cross-row columns the expectation suites validate, and each claim's verdict
# with a plain-language explanation
CHECK_COLUMNS = (
    "agrees_with_sources",
    "not_below_earlier",
    "reference_value",
    "agrees_with_reference",
    "states_reference_figure",
    "share_percent",
    "verdict",
    "explanation",
)
VERDICTS = ("implausible", "reference_mismatch", "conflict", "decrease", "agrees", "unchecked")
# verdicts that mean "no finding against this claim" (check's own words, or the report's when
# check wrote none)
CLEAR_VERDICTS = ("no finding", "ok", "agrees", "unchecked", "")
# per-claim fields the report shows and exports; check may write verdict and explanation itself
VERDICT_FIELDS = ("verdict", "severity", "explanation")

# findings: one row per failure, whatever check produced it
FINDING_COLUMNS = (
    "finding_id",
    "type",
    "check",
    "severity",
    "story",
    "metric",
    "claim_ids",
    "message",
    "confidence",
    "linked_by",
)

# inputs that could not be read: recorded, never raised
ERROR_COLUMNS = ("input", "reason")

QUALIFIERS = ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range")
CHANGES = ("up", "down")
