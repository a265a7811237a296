"""Sentence boundaries with character offsets, good enough for news prose.

A boundary is a blank line, or ".", "!", "?" (plus closing quotes or
brackets) followed by space and a capital, digit or opening quote, unless the word
before the stop is a known abbreviation ("Mr.", "a.m.", "U.S.", "Oct.") or an initial. A single line break is only a wrap: headlines and paragraphs are separated by
blank lines in the inputs we read.
"""

from __future__ import annotations

import re

ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st sr jr gen col lt sgt capt cmdr adm gov sen rep rev hon pres vs etc
    inc ltd co corp bros no nos fig approx est dept univ jan feb mar apr jun jul aug sep sept oct
    nov dec mon tue tues wed thu thur thurs fri sat sun mt ft ave blvd rd u.s u.k u.n e.u a.m p.m
    i.e e.g al ph.d op cf ca vol pp a.d""".split()
)
_BREAK_RE = re.compile(r"\n\s*\n\s*|(?<=[.!?])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_WORD_BEFORE_RE = re.compile(r"([\w.]+)[.!?][\"'”’)\]]*\s*$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence, whitespace trimmed, covering all non-blank text."""
    spans, start = [], 0
    for brk in _BREAK_RE.finditer(text):
        if "\n\n" not in brk.group(0).replace(" ", "") and _is_abbreviation(text, brk.start()):
            continue
        _add(spans, text, start, brk.start())
        start = brk.end()
    _add(spans, text, start, len(text))
    return spans


def _is_abbreviation(text: str, stop: int) -> bool:
    match = _WORD_BEFORE_RE.search(text, max(0, stop - 12), stop + 1)
    if not match:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def _add(spans: list, text: str, start: int, end: int) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))
