"""State: the embedded SQLite store that makes runs incremental and keeps their history (``store``),
the cached check results (``cache``) and what changed between runs (``history``).

It depends on no stage: stages hand it tables, it hands tables back."""
