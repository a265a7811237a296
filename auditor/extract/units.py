"""What a figure is measured in: currency before or after it, percent, or a unit of measure.

The tables are data in rules/currencies.yaml and rules/units.yaml; this module compiles
them into anchored regexes once and answers two questions about a position in a sentence:
which currency symbol ends here (``currency_before``) and which unit starts here
(``unit_after``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..ruleset import load_rules_file
from .alternation import trie_alternation
from .vocabulary import rules_dir_in_use

PERCENT = "%"
PERCENT_POINT = "percentage point"
_PERCENT_RE = re.compile(
    r"\s?(?P<pp>(?:%|per\s?cent|percent|pc)?\s*(?:percentage|per\s?cent(?:age)?)\s+points?\b|pp\b|ppts?\b)"
    r"|\s?(?P<pct>%|per\s?cent\b|percent\b|pct\b|pc\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Unit:
    kind: str  # "percent", "money", "measure"
    unit: str  # "%", ISO 4217 code, or unit name
    end: int  # where the unit's text ends
    factor: float = 1.0  # minor currency units: "19 cents" -> 0.19


def _alternation(words, casefold: bool = False) -> str:
    return trie_alternation(words, casefold=casefold)


@dataclass(frozen=True)
class _Tables:
    prefix_re: re.Pattern
    prefix: dict
    prefix_ahead_re: re.Pattern
    suffix_re: re.Pattern
    suffix: dict
    minor: dict
    symbol_re: re.Pattern
    symbols: dict
    glued_re: re.Pattern
    glued: dict
    spaced_glued_re: re.Pattern
    loose_symbol_re: re.Pattern
    loose_symbols: dict
    word_re: re.Pattern
    words: dict
    per_things: dict


# glued symbols that are also words or common acronyms: units only against the digits
_WORDLIKE = frozenset({"in", "ins", "gal", "mls"})


def tables(rules_dir: Path | None = None) -> _Tables:
    """The compiled unit and currency tables of ``rules_dir``, by default of the rules folder in use."""
    return compiled_tables(Path(rules_dir) if rules_dir is not None else rules_dir_in_use())


@lru_cache(maxsize=None)
def compiled_tables(rules_dir: Path) -> _Tables:
    money = load_rules_file(rules_dir / "currencies.yaml", "currencies.yaml")
    measures = load_rules_file(rules_dir / "units.yaml", "units.yaml")
    prefix = dict(money["prefix"])
    suffix = {k.lower(): v for k, v in money["suffix"].items()}
    minor = {k.lower(): v for k, v in money["minor"].items()}
    symbols = dict(measures["symbols"])
    glued = dict(measures.get("glued_symbols") or {})
    words = {k.lower(): v for k, v in measures["words"].items()}
    return _Tables(
        # a symbol right before the figure, itself not glued to a preceding letter ("US$5", "RM 20")
        prefix_re=re.compile(rf"(?<![A-Za-z])(?P<cur>{_alternation(prefix)})\s?$"),
        prefix=prefix,
        # the same symbols read forwards, before digits: the second figure of "between $US160m and $US171m"
        prefix_ahead_re=re.compile(rf"(?<![A-Za-z])(?:{_alternation(prefix)})\s?(?=\.?\d)"),
        suffix_re=re.compile(rf"[\s-]?(?P<cur>{_alternation([*suffix, *minor], casefold=True)})(?![\w])", re.IGNORECASE),
        suffix=suffix,
        minor=minor,
        symbol_re=re.compile(rf"[\s-]?(?P<u>{_alternation(symbols)})(?![\w/²])"),
        symbols=symbols,
        glued_re=re.compile(rf"(?P<u>{_alternation(glued)})(?![\w/²])"),
        glued=glued,
        # glued symbols that cannot be read as an English word stay units after a space
        spaced_glued_re=re.compile(
            rf"\s(?P<u>{_alternation(g for g in glued if not g.isalpha() or g.lower() not in _WORDLIKE)})(?![\w/²])"
        ),
        loose_symbol_re=re.compile(
            rf"[\s-]?(?P<u>{_alternation((s for s in symbols if len(s) >= 3), casefold=True)})(?![\w/²])", re.IGNORECASE
        ),
        loose_symbols={s.lower(): name for s, name in symbols.items() if len(s) >= 3},
        word_re=re.compile(rf"[\s-]?(?P<u>{_alternation(words, casefold=True)})(?![\w])", re.IGNORECASE),
        words=words,
        per_things={k.lower(): v for k, v in (measures.get("per_things") or {}).items()},
    )


def currency_before(sentence: str, pos: int) -> tuple[str, int] | None:
    """(ISO code, start of the symbol) when a currency symbol or code ends at ``pos``."""
    t = tables()
    match = t.prefix_re.search(sentence, max(0, pos - 8), pos)
    if not match:
        return None
    return t.prefix[match.group("cur")], match.start("cur")


def currency_ahead(sentence: str, pos: int) -> int | None:
    """Where the figure starts when a currency symbol or code of rules/currencies.yaml starts at ``pos``."""
    match = tables().prefix_ahead_re.match(sentence, pos)
    return match.end() if match else None


def unit_after(sentence: str, pos: int) -> Unit | None:
    """The percent sign, currency word or unit of measure starting at ``pos``, with any rate."""
    match = _PERCENT_RE.match(sentence, pos)
    if match:
        return with_rate(sentence, Unit("percent", PERCENT_POINT if match.group("pp") else PERCENT, match.end()))
    t = tables()
    match = t.suffix_re.match(sentence, pos)
    if match:
        word = match.group("cur").lower()
        if word in t.minor:
            if word == "p" and match.group(0)[:1].isspace():
                return None  # "180p" is pence, "180 p" is not
            return with_rate(sentence, Unit("money", t.minor[word]["unit"], match.end()))  # "63 cents per share"
        return with_rate(sentence, Unit("money", t.suffix[word], match.end()))
    match = t.glued_re.match(sentence, pos)
    if match:
        return Unit("measure", t.glued[match.group("u")], match.end())
    match = t.symbol_re.match(sentence, pos)
    if match and len(match.group("u")) == 1 and match.group(0)[0].isspace() and not _spaced_letter(sentence, match):
        match = None  # "5 t" or "5 K" is too often something else; "5t" and "5K" are units
    if match is None:
        match = t.spaced_glued_re.match(sentence, pos)  # "16 Gb", "512 MB" (not "5 in")
        if match:
            return Unit("measure", t.glued[match.group("u")], match.end())
    if match is None:
        match = t.loose_symbol_re.match(sentence, pos)
        if match:
            return with_rate(sentence, Unit("measure", t.loose_symbols[match.group("u").lower()], match.end()))
    match = match or t.word_re.match(sentence, pos)
    if match:
        name = t.symbols.get(match.group("u")) or t.words[match.group("u").lower()]
        return with_rate(sentence, Unit("measure", name, match.end()))
    return None


# single-letter symbols that are still units after a space ("5 W charger", "12 C", "3 m"), unless
# the letter abbreviates a word ("739 W. Main St", "9700 W Ferris Branch", "11 B-CU students",
# "35 M&S goods")
_SPACED_LETTERS = "mglCFWV°"
_LETTER_AS_WORD_RE = re.compile(r"[-&'’]|\.\s*[A-Z0-9]|\s+[A-Z][a-z]")


def _spaced_letter(sentence: str, match: re.Match) -> bool:
    letter = match.group("u")
    return letter in _SPACED_LETTERS and (letter.islower() or not _LETTER_AS_WORD_RE.match(sentence, match.end()))


_RATE_RE = re.compile(r"(?:\s?/\s?|\s+per\s+|\s+an?[\s-]+|-an?-)(?P<u>[A-Za-z]+(?:\s[a-z]+)?)")
_TIME_REFERENCE_RE = re.compile(r"\s+(?:earlier|ago|before|later|on)\b")


def with_rate(sentence: str, unit: Unit) -> Unit:
    """"miles per hour", "km/h", "barrels a day", "$5 per month" -> a compound unit."""
    match = _RATE_RE.match(sentence, unit.end)
    if not match:
        return unit
    t = tables()
    word = match.group("u")
    end = match.end()
    denominator = _denominator(t, word, match.group(0))
    if denominator is None and " " in word:  # "per square foot" or "a year earlier"
        word = word.split(" ")[0]
        end = match.start("u") + len(word)
        denominator = _denominator(t, word, match.group(0))
    if _TIME_REFERENCE_RE.match(sentence, end):
        return unit  # "$6.78 billion a year earlier"
    if denominator is None or denominator in ("percentage point", "point", "basis point", "degree"):
        return unit
    return Unit(unit.kind, f"{unit.unit} per {denominator}", end, unit.factor)


def _denominator(t: _Tables, word: str, joint: str) -> str | None:
    """The unit a rate is per: a unit of measure or time, or after "per"/"/" a thing that is
    priced or counted one by one ("cents per share", "$40 a head", "points per game")."""
    found = t.symbols.get(word) or t.words.get(word.lower())
    if found is None and not re.match(r"\s+an?\b", joint):
        found = t.per_things.get(word.lower())
    return found


# "7- or 8-inch", "four-, five- and six-cylinder": the figures share the word after the last hyphen
_SUSPENDED_HYPHEN_RE = re.compile(
    r"-(?:,?\s+(?:[\d.]+|[a-z]+)-)*,?\s+(?:or|and|to)\s+(?:[\d.]+|[a-z]+)(?=-[A-Za-z])", re.IGNORECASE
)


def suspended_hyphen(sentence: str, pos: int) -> int | None:
    """Where the shared word's hyphen is when a suspended hyphen ends at ``pos``, else None."""
    match = _SUSPENDED_HYPHEN_RE.match(sentence, pos)
    return match.end() if match else None


def money_prefix_only(sentence: str, pos: int) -> bool:
    """True when ``pos`` follows a currency symbol (used to read "m"/"b" as million/billion)."""
    return currency_before(sentence, pos) is not None
