"""Rule packs: the grammar of one domain, kept apart from the generic scanner and switched on or off
as a whole (``packs`` in rules/extraction.yaml; ``auditor extract --no-pack NAME`` for one run).

A pack is a module with ``sentence_figures(sentence, figures, lex, rejected)`` (run on each
sentence after the scanner's own readings) and ``document_claims(claims, implicit, lex)`` (run on
each document's claims), and a rules file rules/packs/NAME.yaml with its words and, under
``rules``, every id it writes with a description and pass/fail example sentences."""

from __future__ import annotations

from . import casualties

PACKS = {casualties.NAME: casualties}


def active(names: tuple) -> tuple:
    """The modules of the packs named (unknown names are refused when the rules are read)."""
    return tuple(PACKS[name] for name in names)
