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
)

# added by align
ALIGN_COLUMNS = ("story_id", "group_id")

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
)

# inputs that could not be read: recorded, never raised
ERROR_COLUMNS = ("input", "reason")

QUALIFIERS = ("exact", "approx", "at_least", "more_than", "at_most", "less_than", "range")
CHANGES = ("up", "down")
