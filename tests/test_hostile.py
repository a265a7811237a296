"""Hostile input is read in time linear in its length: the work is counted, never timed.

The work of one extraction is the number of lines of auditor code executed (a loop over every
figure for every figure shows as quadratic line counts) plus the characters every regular
expression was given to scan (a look-behind over the whole sentence, or a pattern that runs over a
whole list of numbers, shows as quadratic character counts). Doubling a document must at most
double both, within a small margin for the fixed cost of a document. Timings are in
benchmarks/hostile.py.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest

import auditor.extract as extract_package
from auditor.extract import extract_document
from auditor.extract.packs import casualties
from auditor.extract import (context, counted, ellipsis, filters, numbers, ranges, reading, scan, speakers,
                             units, vocabulary)

EXTRACT_DIR = str(Path(extract_package.__file__).parent)
MODULES = (context, counted, ellipsis, filters, numbers, ranges, reading, scan, speakers, units, vocabulary, casualties)


# the hostile documents are the benchmark's (benchmarks/hostile.py), at sizes a test can afford
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
from hostile import DOCUMENTS, repeated  # noqa: E402

HOSTILE = {name: generate for name, (generate, _) in DOCUMENTS.items()}


class _Work:
    def __init__(self):
        self.lines = 0
        self.chars = 0

    def trace(self, frame, event, arg):
        if event == "call":
            return self.trace if frame.f_code.co_filename.startswith(EXTRACT_DIR) else None
        if event == "line":
            self.lines += 1
        return self.trace


class _CountingPattern:
    """A compiled pattern that adds to ``work.chars`` the characters each call scanned."""

    def __init__(self, pattern: re.Pattern, work: _Work):
        self._pattern, self._work = pattern, work

    def __getattr__(self, name):
        return getattr(self._pattern, name)

    def search(self, string, pos=0, endpos=sys.maxsize):
        found = self._pattern.search(string, pos, endpos)
        self._work.chars += (found.end() if found else min(endpos, len(string))) - pos + 1
        return found

    def match(self, string, pos=0, endpos=sys.maxsize):
        found = self._pattern.match(string, pos, endpos)
        self._work.chars += (found.end() - pos if found else 0) + 1
        return found

    def fullmatch(self, string, pos=0, endpos=sys.maxsize):
        found = self._pattern.fullmatch(string, pos, endpos)
        self._work.chars += (found.end() - pos if found else 0) + 1
        return found

    def finditer(self, string, pos=0, endpos=sys.maxsize):
        last = pos
        for found in self._pattern.finditer(string, pos, endpos):
            self._work.chars += found.end() - last + 1
            last = found.end()
            yield found
        self._work.chars += min(endpos, len(string)) - last

    def _whole(self, method, string, *args, **kwargs):
        self._work.chars += len(string) + 1
        return getattr(self._pattern, method)(string, *args, **kwargs)

    def findall(self, string, *args, **kwargs):
        return self._whole("findall", string, *args, **kwargs)

    def split(self, string, *args, **kwargs):
        return self._whole("split", string, *args, **kwargs)

    def sub(self, repl, string, *args, **kwargs):
        self._work.chars += len(string) + 1
        return self._pattern.sub(repl, string, *args, **kwargs)


def _holders():
    """The compiled rules: the lexicon, the unit tables and the casualty pack's words."""
    return (vocabulary.lexicon(), units.tables(), casualties.pack_words(vocabulary.lexicon().rules_dir))


@pytest.fixture
def counted_work(monkeypatch):
    """Count the work of the extract modules: every pattern they hold or compile is a counting one."""
    extract_document({"doc_id": "warm", "text": "Sales rose 5% to $3m; two men were hurt."})
    work = _Work()

    def wrap(pattern):
        return _CountingPattern(pattern, work) if isinstance(pattern, re.Pattern) else pattern

    for module in MODULES:
        for name, value in list(vars(module).items()):
            if isinstance(value, re.Pattern):
                monkeypatch.setattr(module, name, wrap(value))
    for holder in _holders():
        for field in dataclasses.fields(holder):
            value = getattr(holder, field.name)
            if isinstance(value, re.Pattern):
                object.__setattr__(holder, field.name, wrap(value))
            elif isinstance(value, tuple) and value and all(isinstance(v, re.Pattern) for v in value):
                object.__setattr__(holder, field.name, tuple(wrap(v) for v in value))
    candidates = wrap(scan._candidate_re())
    monkeypatch.setattr(scan, "_candidate_re", lambda: candidates)
    for function in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub"):
        monkeypatch.setattr(re, function, lambda pattern, *args, _f=function, **kwargs: getattr(
            wrap(re.compile(pattern, kwargs.pop("flags", 0))), _f)(*args, **kwargs))
    real_compile = re.compile
    monkeypatch.setattr(re, "compile", lambda pattern, flags=0: wrap(real_compile(pattern, flags)) if not isinstance(
        pattern, _CountingPattern) else pattern)
    yield work
    for holder in _holders():
        for field in dataclasses.fields(holder):
            value = getattr(holder, field.name)
            if isinstance(value, _CountingPattern):
                object.__setattr__(holder, field.name, value._pattern)
            elif isinstance(value, tuple) and value and all(isinstance(v, _CountingPattern) for v in value):
                object.__setattr__(holder, field.name, tuple(v._pattern for v in value))


def _work_of(text: str, work: _Work) -> tuple[int, int, int]:
    work.lines = work.chars = 0
    sys.settrace(work.trace)
    try:
        claims = extract_document({"doc_id": "hostile", "text": text})
    finally:
        sys.settrace(None)
    return work.lines, work.chars, len(claims)


@pytest.mark.parametrize("name", list(HOSTILE))
def test_doubling_a_hostile_document_at_most_doubles_the_work(name, counted_work):
    make = HOSTILE[name]
    lines_n, chars_n, claims_n = _work_of(make(1000), counted_work)
    lines_2n, chars_2n, claims_2n = _work_of(make(2000), counted_work)
    assert claims_2n >= claims_n  # it was read, not given up on
    assert lines_2n <= 2.2 * lines_n + 200, (name, lines_n, lines_2n)
    assert chars_2n <= 2.2 * chars_n + 200, (name, chars_n, chars_2n)


def test_the_work_counter_sees_quadratic_work(counted_work):
    """The counter is no tautology: a look-behind over the whole text is caught."""
    pattern = re.compile(r"\bfell\s+$")
    work = counted_work

    def scan_all(text):
        work.chars = 0
        for k in range(0, len(text), 2):
            pattern.search(text, 0, k)
        return work.chars

    assert scan_all(repeated("1,", 3000)) > 3.5 * scan_all(repeated("1,", 1500))


@pytest.mark.parametrize("name", list(HOSTILE))
def test_each_hostile_document_extracts_without_error(name):
    claims = extract_document({"doc_id": "hostile", "text": HOSTILE[name](4000)})
    for claim in claims:
        assert claim["surface"] and claim["start"] < claim["end"]
