"""Declared patterns (rules/patterns/*.yaml): figures the number scanner does not read, matched as data.

Each pattern is a regular expression over the sentence, written with the macros below and bounded
quantifiers only (no nested repetition, so every match is linear in the text), plus the claims it makes:
the group that is the claim's span, ``needs``, words one of which must be in the sentence for the pattern to be tried (a substring test is
far cheaper than a regex that starts with an alternation), the value (a group's number, a constant, or arithmetic over
groups), unit, kind, qualifier, counted noun. A pattern's figures are added to what the scanner found
unless they overlap one of its figures; ``on_overlap: replace`` takes the place of scanner figures
that lie inside the match and are no range ("6-foot-9" over "6-foot", "51-50" over a lone "51"), and ``mode: amend`` only names what an overlapping figure counts ("60 votes
to 38" gives 38 the noun "votes"). Every figure a pattern makes or amends carries the pattern's id in
its rules (the claim's ``extracted_by``). This module holds only the mechanism; the language is in rules/patterns/.
"""

from __future__ import annotations

import ast
import bisect
import itertools
import operator
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..columns import QUALIFIERS
from ..errors import RulesError
from ..ruleset import load_rules_file, rules_files_in, rules_line
from .alternation import trie_alternation
from .counted import singular
from .figure import Figure
from .numbers import FRACTIONS, ONES, TENS, parse_number
from .vocabulary import rules_dir_in_use

_ORDINAL_WORDS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
    "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60, "seventieth": 70,
    "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}
_UNIT_ORDINALS = {k: v for k, v in _ORDINAL_WORDS.items() if v < 10}


def _alternation(words) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_TENS = _alternation(TENS)
_ONES = _alternation(k for k in ONES if k not in ("naught", "nought", "zero"))
_NUMBER_WORD = rf"(?:(?:{_TENS})(?:[-\s](?:{_alternation(k for k, v in ONES.items() if 0 < v < 10)}))?|{_ONES})"
MACROS = {
    # a cardinal: digits ("12", "1,000", "3.5") or words ("seven", "twenty-two")
    "CARD": rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d{{1,3}}(?:\.\d{{1,2}})?|{_NUMBER_WORD})",
    "NUMWORD": rf"(?:{_TENS}|{_ONES})",
    "TENSWORD": rf"(?:{_TENS})",
    # an ordinal: digits with a suffix ("12th", "2,292nd") or words ("third", "twenty-first")
    "ORD": rf"(?:\d{{1,3}}(?:,\d{{3}})*(?:st|nd|rd|th)|(?:{_TENS})-(?:{_alternation(_UNIT_ORDINALS)})|"
           rf"{_alternation(_ORDINAL_WORDS)})",
    "ORDWORD": rf"(?:{_alternation(_ORDINAL_WORDS)})",
    # a possessive determiner or a possessive noun ("his", "the shutdown's")
    "POSS": r"(?:his|her|its|their|our|my|your|[\w.-]{1,30}(?:'s|’s|s'|s’))",
    "TIMEUNIT": r"(?:second|minute|hour|day|night|week|fortnight|month|year|decade|century)",
}


@dataclass(frozen=True)
class ClaimSpec:
    span: str | None
    value: str
    lower: str | None
    upper: str | None
    unit: str
    kind: str
    qualifier: str
    counted: str | None


@dataclass(frozen=True)
class Pattern:
    id: str
    description: str
    regex: re.Pattern
    needs: tuple[str, ...]  # one of these must be in the lowercased sentence before ``regex`` is tried
    claims: tuple[ClaimSpec, ...]
    words: dict
    qualifiers: dict
    not_before: re.Pattern | None
    not_after: re.Pattern | None
    on_overlap: str  # "skip" (the scanner's figure stands) or "replace"
    mode: str  # "add" or "amend"
    examples: dict


def _expand(text: str) -> str:
    for name, body in MACROS.items():
        text = text.replace("{" + name + "}", body)
    return text


def _compile(entry: dict, path: Path, index: int) -> Pattern:
    """One pattern of a file already validated against its schema (auditor/schemas.py PATTERN): what a
    schema cannot see (a regex that does not compile, a value that is not arithmetic over the match's
    groups, a group that the regex lacks) is a RulesError naming the file, the line and the key."""
    where = _Where(path, index, entry["id"])
    regex = where.regex(["match"], _expand(entry["match"]))
    groups = set(regex.groupindex)
    claims = tuple(_claim_spec(c, groups, where.at(["claims", i])) for i, c in enumerate(entry["claims"]))
    return Pattern(
        id=entry["id"], description=entry["description"], regex=regex,
        needs=tuple(str(w).lower() for w in entry.get("needs") or ()),
        claims=claims, words={str(k).lower(): float(v) for k, v in (entry.get("words") or {}).items()},
        qualifiers={str(k).lower(): v for k, v in (entry.get("qualifiers") or {}).items()},
        not_before=where.regex(["not_before"], rf"(?:{_expand(entry['not_before'])})$") if entry.get("not_before") else None,
        not_after=where.regex(["not_after"], _expand(entry["not_after"])) if entry.get("not_after") else None,
        on_overlap=entry.get("on_overlap", "skip"), mode=entry.get("mode", "add"),
        examples={"pass": entry.get("pass") or [], "fail": entry.get("fail") or []},
    )


class _Where:
    """A key of one pattern in its file, for error messages: "FILE:LINE: pattern ID: KEY: what is wrong"."""

    def __init__(self, path: Path, index: int, pattern_id: str, keys=()):
        self.path, self.index, self.pattern_id, self.keys = path, index, pattern_id, list(keys)

    def at(self, keys) -> "_Where":
        return _Where(self.path, self.index, self.pattern_id, self.keys + list(keys))

    def error(self, keys, message: str) -> RulesError:
        keys = self.keys + list(keys)
        line = rules_line(self.path, [self.index, *keys])
        return RulesError(f"{self.path}:{line}: pattern {self.pattern_id}: {'.'.join(map(str, keys))}: {message}")

    def regex(self, keys, text: str) -> re.Pattern:
        try:
            return re.compile(text, re.IGNORECASE)
        except re.error as exc:
            raise self.error(keys, f"not a regular expression ({exc})") from None


_TEMPLATE_RE = re.compile(r"\{(\w+)\}")


def _claim_spec(spec: dict, groups: set, where: _Where) -> ClaimSpec:
    if spec.get("span") is not None and spec["span"] not in groups:
        raise where.error(["span"], f"no group '{spec['span']}' in match")
    for key in ("value", "lower", "upper"):
        if spec.get(key) is not None:
            _check_arithmetic(str(spec[key]), groups, where.at([key]))
    for key in ("unit", "qualifier", "counted"):
        missing = [g for g in _TEMPLATE_RE.findall(str(spec.get(key) or "")) if g not in groups]
        if missing:
            raise where.error([key], f"no group '{missing[0]}' in match")
    qualifier = spec.get("qualifier", "exact")
    if not _TEMPLATE_RE.search(qualifier) and qualifier not in QUALIFIERS:
        raise where.error(["qualifier"], f"'{qualifier}' is no qualifier (known: {', '.join(QUALIFIERS)})")
    return ClaimSpec(span=spec.get("span"), value=str(spec["value"]), lower=_opt(spec.get("lower")),
                     upper=_opt(spec.get("upper")), unit=spec.get("unit", ""), kind=spec.get("kind", "count"),
                     qualifier=qualifier, counted=spec.get("counted"))


def _check_arithmetic(expression: str, groups: set, where: _Where) -> None:
    """``expression`` is numbers, the match's group names, + - * / and brackets: what _evaluate reads."""
    try:
        tree = _parsed(expression)
    except SyntaxError:
        raise where.error([], f"'{expression}' is not arithmetic") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in groups:
            raise where.error([], f"no group '{node.id}' in match")
        if not isinstance(node, (ast.Expression, ast.Name, ast.Load, ast.BinOp, ast.Constant, *_OPERATORS)) or (
                isinstance(node, ast.Constant) and not isinstance(node.value, (int, float))):
            raise where.error([], f"'{expression}' is not arithmetic over the groups")


def _opt(value):
    return None if value is None else str(value)


def patterns(rules_dir: Path | None = None) -> tuple[Pattern, ...]:
    """Every pattern of rules/patterns/*.yaml of ``rules_dir`` (default: the rules folder in use), a
    file the folder lacks read from the bundled rules; in file order then declaration order."""
    return _declared(Path(rules_dir) if rules_dir is not None else rules_dir_in_use()).patterns


class _Declared:
    """The patterns of one rules folder, their ids, and which of them a sentence needs tried.

    Every `needs` word of every pattern is looked for in one pass over the sentence (one regex, a
    look-ahead at each position, so needs that overlap are all seen: at each position the longest
    need that starts there, and with it the needs that are its prefixes): a sentence is not tested
    once per pattern and per word."""

    def __init__(self, found: tuple[Pattern, ...]):
        self.patterns = found
        self.ids = frozenset(p.id for p in found)
        needs = {n for p in found for n in p.needs}
        self.always = frozenset(k for k, p in enumerate(found) if not p.needs)
        by_need = {n: frozenset(k for k, p in enumerate(found) if n in p.needs) for n in needs}
        # the patterns a need found at a position asks for: its own, and those of the needs it starts with
        self.asks = {n: frozenset().union(*(by_need[m] for m in needs if n.startswith(m))) for n in needs}
        self.gate = re.compile(f"(?=({trie_alternation(needs)}))") if needs else None

    def wanted(self, lowered: str) -> list[Pattern]:
        """The patterns to try on a sentence (lowercased), in declaration order."""
        chosen = set(self.always)
        if self.gate is not None:
            for match in self.gate.finditer(lowered):
                chosen |= self.asks[match.group(1)]
        return [self.patterns[k] for k in sorted(chosen)]


@lru_cache(maxsize=None)
def _declared(rules_dir: Path) -> _Declared:
    return _Declared(load_patterns(rules_files_in(rules_dir, "patterns")))


def load_patterns(paths) -> tuple[Pattern, ...]:
    """The patterns of these files, each validated against its schema, then compiled."""
    found, declared_in = [], {}
    for path in paths:
        for index, entry in enumerate(load_rules_file(path, "patterns")):
            if entry["id"] in declared_in:
                raise RulesError(f"{path}:{rules_line(path, [index, 'id'])}: pattern id '{entry['id']}' "
                                 f"already declared in {declared_in[entry['id']]}")
            declared_in[entry["id"]] = path
            found.append(_compile(entry, path, index))
    return tuple(found)


def apply_patterns(sentence: str, figures: list[Figure], rejected: list | None = None) -> list[Figure]:
    """The scanner's figures with what the declared patterns add, replace or amend, in order.
    Numbers the scanner rejected (``rejected``: (start, end, rule id)) that a pattern claims are
    taken off that list, so ``--explain`` shows each number once.

    Each pattern runs over the figures found before it: its changes are staged and merged after its
    pass, and overlaps are found by bisection, so a sentence with thousands of figures stays linear."""
    before = figures = sorted(figures, key=lambda f: f.start)
    declared = _declared(rules_dir_in_use())
    ids = declared.ids
    for pattern in declared.wanted(sentence.lower()):
        figures = _one_pass(pattern, sentence, figures, ids)
    if rejected and figures is not before:
        made = [f for f in figures if _by_pattern(f, ids)]
        starts = [f.start for f in made]
        reach = list(itertools.accumulate((f.end for f in made), max))
        rejected[:] = [r for r in rejected if not any(made[i].end > r[0] for i in _overlapping(starts, reach, r[0], r[1]))]
    return figures


def _one_pass(pattern: Pattern, sentence: str, figures: list[Figure], ids: frozenset) -> list[Figure]:
    starts = reach = None  # built at the first match: most passes find none
    changed: dict[int, Figure | None] = {}  # index -> the amended figure, or None when replaced
    added: list[Figure] = []
    for match in pattern.regex.finditer(sentence):
        if pattern.not_before and pattern.not_before.search(sentence, max(0, match.start() - 40), match.start()):
            continue
        if pattern.not_after and pattern.not_after.match(sentence, match.end()):
            continue
        made = _figures(pattern, match)
        if made is None:
            continue
        if starts is None:
            starts = [f.start for f in figures]
            reach = list(itertools.accumulate((f.end for f in figures), max))  # the furthest end so far
        lo, hi = min(m.start for m in made), max(m.end for m in made)
        overlapping = [i for i in _overlapping(starts, reach, lo, hi)
                       if changed.get(i, figures[i]) is not None
                       and any(figures[i].start < m.end and m.start < figures[i].end for m in made)]
        if pattern.mode == "amend":
            for i in overlapping:
                changed[i] = _amended(changed.get(i, figures[i]), made)
            continue
        if overlapping and not (pattern.on_overlap == "replace" and all(
                not _by_pattern(figures[i], ids) and match.start() <= figures[i].start and figures[i].end <= match.end()
                and figures[i].qualifier != "range" for i in overlapping)):
            continue  # what was read stands, unless the pattern reads the scanner's phrase better
        changed.update((i, None) for i in overlapping)
        added.extend(made)
    if not changed and not added:
        return figures
    kept = [changed.get(i, f) for i, f in enumerate(figures)]
    return sorted([f for f in kept if f is not None] + added, key=lambda f: f.start)


def _overlapping(starts: list[int], reach: list[int], lo: int, hi: int):
    """Indices of figures that may overlap [lo, hi): start before hi, and an end past lo."""
    i = bisect.bisect_left(starts, hi) - 1
    while i >= 0 and reach[i] > lo:
        yield i
        i -= 1


def _amended(figure: Figure, made: list[Figure]) -> Figure:
    inside = next((m for m in made if figure.start <= m.start and m.end <= figure.end), None)
    if inside is None or figure.counted is not None or figure.kind != "count" or figure.unit:
        return figure
    return replace(figure, counted=inside.counted, metric=inside.metric).by(*inside.rules)


def _by_pattern(figure: Figure, ids: frozenset) -> bool:
    """The figure was made by a declared pattern (whose reading another pattern never replaces)."""
    return bool(ids & set(figure.rules))


def _figures(pattern: Pattern, match: re.Match) -> list[Figure] | None:
    numbers = {}
    for name, text in match.groupdict().items():
        if text is not None:
            numbers[name] = _number(text, pattern.words)
    made = []
    for spec in pattern.claims:
        start, end = match.span(spec.span) if spec.span else match.span()
        if start < 0:
            return None
        try:
            value = _evaluate(spec.value, numbers)
            lower = _evaluate(spec.lower, numbers) if spec.lower is not None else value
            upper = _evaluate(spec.upper, numbers) if spec.upper is not None else value
        except (KeyError, TypeError, ZeroDivisionError):
            return None  # a group the value needs is absent or not a number
        qualifier = _template(spec.qualifier, match)
        qualifier = pattern.qualifiers.get(qualifier.lower(), qualifier)
        if qualifier in ("at_least", "more_than"):
            upper = None
        elif qualifier in ("at_most", "less_than"):
            lower = None
        unit = singular(_template(spec.unit, match).lower()) if spec.unit else ""
        counted = _template(spec.counted, match).lower() if spec.counted else None
        counted = counted or None
        metric = None if spec.kind == "measure" or counted is None else singular(counted.split()[-1])
        made.append(Figure(start, end, value, lower, upper, qualifier, None, unit, spec.kind,
                           counted=counted, metric=metric, rules=(pattern.id,)))
    return made


def _template(text: str, match: re.Match) -> str:
    """"{u}" -> the text of group u ("" when the group did not take part)."""
    return re.sub(r"\{(\w+)\}", lambda m: match.group(m.group(1)) or "", text)


def _number(text: str, words: dict) -> float | None:
    low = " ".join(text.lower().replace("-", " ").split())
    if low in words:
        return words[low]
    if low in ("a", "an"):
        return 1.0
    ordinal = _ordinal(low)
    if ordinal is not None:
        return ordinal
    parsed = parse_number(text.replace(",", "") if re.fullmatch(r"[\d,.]+", text) else text)
    return parsed[0] if parsed and parsed[1] == len(text) else None


def _ordinal(low: str) -> float | None:
    digits = re.fullmatch(r"([\d,]+)(?:st|nd|rd|th)", low)
    if digits:
        return float(digits.group(1).replace(",", ""))
    parts = low.split()
    if 1 <= len(parts) <= 2 and parts[-1] in _ORDINAL_WORDS and (len(parts) == 1 or parts[0] in TENS):
        return float((TENS[parts[0]] if len(parts) == 2 else 0) + _ORDINAL_WORDS[parts[-1]])
    return None


_OPERATORS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv}


def _evaluate(expression: str, numbers: dict) -> float:
    """Arithmetic over the match's numbers: "n", "2", "a / b", "ft * 12 + inches"."""
    def walk(node):
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)):
            return float(node.value)
        if isinstance(node, ast.Name):
            value = numbers[node.id]
            if value is None:
                raise TypeError(node.id)
            return value
        if isinstance(node, ast.BinOp) and type(node.op) in _OPERATORS:
            return _OPERATORS[type(node.op)](walk(node.left), walk(node.right))
        raise TypeError(f"not arithmetic: {expression}")
    return float(walk(_parsed(expression)))


@lru_cache(maxsize=256)
def _parsed(expression: str) -> ast.Expression:
    return ast.parse(expression, mode="eval")
