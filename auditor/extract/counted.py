"""What a figure counts: the counted noun phrase, its head noun and its metric (rules/taxonomy.yaml)."""

from __future__ import annotations

import itertools
import re

from .units import suspended_hyphen
from .figure import Figure
from .vocabulary import Lexicon


_WORD_RE = re.compile(r"(?:[A-Za-z]\.){2,}|[A-Za-z][A-Za-z'’.-]*[A-Za-z]|[A-Za-z]|\d+s\b|\d+[A-Za-z]*\b|[^\sA-Za-z]")
# the plural of a model number after its make: "63,150 Model 3s", "60 Boeing 737s"
_MODEL_PLURAL_RE = re.compile(r"\d+s")


def counted_phrase(sentence: str, end: int, figure: Figure, lex: Lexicon) -> str | None:
    """The noun phrase after the figure, up to its head noun: "200,000 troops across" -> troops,
    "76 of the dead" -> dead, "14 first-team players left" -> first-team players.

    Noun and classifying modifiers stay ("lightning strikes", "public housing properties"), and
    so do words that restrict which things are counted ("500 new cases", "50 different products");
    evaluative and quantity words before them do not ("15 more staff" -> staff; rules/extraction.yaml
    counted_loose_modifiers). The metric is read from the head noun.
    """
    if figure.kind == "measure" and re.compile(r"-?\s?old\b").match(sentence, end):
        return "age"
    shared = suspended_hyphen(sentence, end) if figure.kind == "count" else None
    if shared is not None:  # "four-, five- and six-cylinder engines": each counts cylinders
        word = _WORD_RE.match(sentence, shared + 1)
        return word.group(0).lower() if word and word.group(0).isalpha() else None
    words = [m.group(0) for m in itertools.islice(_WORD_RE.finditer(sentence, end), 12)]
    i = 0
    if words[:1] == ["of"] or words[:1] == ["-"] and figure.kind != "count":
        i = 1
        if i < len(words) and words[i].lower() in ("the", "those", "these", "all", "its", "their", "our", "his", "her", "my", "your"):
            i += 1
    if i == 0 and words and words[0] == "-":  # "20-strong", "a 51-year-old"
        i = 1
    run: list[str] = []
    while i < len(words) and len(run) < 4:
        word = words[i]
        low = word.lower()
        if _MODEL_PLURAL_RE.fullmatch(word) and run and run[-1][0].isupper():
            run.append(word)
            i += 1
            break
        if not word[0].isalpha() and not _model_number(run, words, i) or low in lex.stop_words:
            break
        if not run and low.endswith("ing") and i + 1 < len(words) and words[i + 1].lower() in _DETERMINERS:
            break  # "around 73 raising the prospect": a verb, not a noun
        if run and (low.endswith("ed") or low.endswith("ing") or low.endswith("ly")):
            if " ".join([run[-1].lower(), low]) not in lex.taxonomy_phrases and not _modifies_next(words, i, lex):
                break
        if run and word[0].isupper() and not run[0][0].isupper() and not _modifiers_before_name(run, words, i):
            break
        run.append(word)
        i += 1
    if not run:
        return None
    tail = " ".join(run[-2:]).lower()
    if tail in lex.taxonomy_phrases:
        return tail
    lowered = [w.lower() for w in run]
    head = _head_index(run, singular=figure.value == 1 and i == len(run))
    first = 0
    while first < head and lowered[first] in lex.loose_modifiers:
        first += 1
    return " ".join(lowered[first : head + 1])


def _modifiers_before_name(run: list[str], words: list[str], i: int) -> bool:
    """The phrase so far only modifies a name that leads to the head noun: "eight straight | World Cups",
    "two new | Airbus jets", "two senior | White House officials", "two new | 737 Max jets", "three Boeing |
    777 aircraft". A capitalised
    word or a number after a lowercase word otherwise ends the phrase ("7 people Tuesday", "two in 10")."""
    if not run or any(_surely_plural(w) for w in run):
        return False
    for word in words[i : i + 3]:
        if word.isdigit():
            continue  # a model number inside the name
        if not word[0].isalpha():
            return False
        if _surely_plural(word):
            return True  # the name's own plural ("World Cups") or the noun after it ("Airbus jets")
        if not word[0].isupper():
            return False
    return False


def _model_number(run: list[str], words: list[str], i: int) -> bool:
    """A number inside a name, next to a capitalised word: "two new 737 Max jets", "three Boeing 777
    aircraft"; not another figure ("a team-high 11 rebounds")."""
    word = words[i]
    if not word.isdigit() or not _modifiers_before_name(run, words, i):
        return False
    owner = run[-1].endswith(("'s", "’s"))  # "Davidson's 17 turnovers": a figure of its own
    return run[-1][0].isupper() and not owner or (i + 1 < len(words) and words[i + 1][0].isupper())


def _is_plural(word: str) -> bool:
    """"jets", "people", "taxis"; not "boss", nor a possessive ("Newton's")."""
    word = word.lower()
    return (word.endswith("s") and not word.endswith(("ss", "'s", "’s"))) or word in IRREGULAR_PLURALS


def _surely_plural(word: str) -> bool:
    """A plural, and none of the words in -s that are as often singular: a word in -us or -is ("Airbus
    jets", "crisis talks", "tennis courts"; such a word heads what is counted only when no other plural is
    there: "black taxis"), a name in -as ("Texas"), an acronym ("FLDS") or an abbreviation ("U.S.")."""
    low = word.lower()
    if low in IRREGULAR_PLURALS:
        return True
    if not low.endswith("s") or low.endswith(("ss", "us", "is", "'s", "’s")) or "." in word:
        return False
    return not (word[0].isupper() and (low.endswith("as") or word.isupper()))


_DETERMINERS = frozenset("the a an its their his her our my your this that these those".split())


def _modifies_next(words: list[str], i: int, lex: Lexicon) -> bool:
    """An -ing/-ed word inside a noun phrase: "1,100 public housing properties", "20 lightning
    strikes". It modifies when a lowercase plural noun follows; otherwise it is a verb that ends
    the phrase ("76 people killed", "30 drivers missing")."""
    if i + 1 >= len(words):
        return False
    nxt = words[i + 1]
    return (nxt.isalpha() and nxt.islower() and nxt not in lex.stop_words and nxt.endswith("s")
            and not nxt.endswith(("ss", "ed", "ing")) and words[i].lower().endswith("ing"))


IRREGULAR_PLURALS = frozenset("people men women children police personnel staff cattle feet teeth crew aircraft".split())


def _head_index(run: list[str], singular: bool) -> int:
    """The head of "first-team players left" is players; of "one particular demand", demand (``run`` as
    written: capitals tell names and acronyms)."""
    owners = [k for k, w in enumerate(run) if w.endswith(("'s", "’s"))]
    plural = [k for k, w in enumerate(run) if _surely_plural(w)] or [k for k, w in enumerate(run) if _is_plural(w)]
    if not plural and owners:
        # "half of Carolina's": the owner; "40 per cent of the district's farmland": what it owns
        return owners[-1] if owners[-1] == len(run) - 1 else len(run) - 1
    if singular:
        nouns = [k for k in range(len(run)) if k not in plural]
        return nouns[-1] if nouns else 0
    return plural[0] if plural else 0


def head_noun(counted: str) -> str:
    """The last word of a counted phrase: "first-team players" -> players."""
    return counted.rsplit(" ", 1)[-1]


def metric_of(sentence: str, start: int, end: int, counted: str | None, lex: Lexicon) -> str | None:
    """Taxonomy first (context + generic noun, then the noun alone), else the head noun, singular.

    The whole counted phrase is tried before its head ("fighter jets", "lives lost"), so a
    modifier never splits a metric: "14 first-team players" and "14 players" share "player".
    """
    clause = _clause_words(sentence, start, end)
    phrase = counted or ""
    nouns = (phrase, head_noun(phrase)) if " " in phrase else (phrase,)
    words = clause.split()
    here = words.index("|")
    partitive = bool(_PARTITIVE_RE.match(sentence, end))
    # "six people, including two children, were killed": the part shares the whole's casualty word
    excluded = lex.casualty_metrics if _INCLUDING_RE.search(sentence, max(0, start - 30), start) else (
        lex.partitive_excluded if partitive else frozenset())
    for noun in nouns:
        # the context word nearest the figure wins ("5 were hurt and one was killed"); a `fallback`
        # metric's word only when no other metric's word is in the clause ("three were shot, one died")
        best = {False: None, True: None}
        for metric, context, applies, fallback in lex.metric_context:
            if noun not in applies or metric in excluded:
                continue
            for c in context:
                if f" {c} " not in clause:
                    continue
                size = c.count(" ") + 1
                for k in range(len(words) - size + 1):
                    if " ".join(words[k : k + size]) == c and not _negated(words, k):
                        distance = here - k - size if k < here else k - here
                        if best[fallback] is None or distance < best[fallback][0]:
                            best[fallback] = (distance, metric)
        found = best[False] or best[True]
        if found is not None:
            return found[1]
    if partitive:
        # "one of the wounded is a juvenile": the noun counts the whole, the figure a part of it; only a
        # context word says what the part is ("three of the victims died"; rules/packs/casualties.yaml
        # casualty_counts.not_for_parts)
        return singular(nouns[-1]) if phrase else None
    for noun in nouns:
        if noun in lex.metric_nouns:
            return lex.metric_nouns[noun]
    return singular(nouns[-1]) if phrase else None


def _negated(words: list[str], k: int) -> bool:
    """"two adults were not hurt", "weren't injured": the context word is denied."""
    before = words[max(0, k - 2) : k]
    return any(w in ("not", "never", "no") or w.endswith(("n't", "n’t")) for w in before)


_PARTITIVE_RE = re.compile(r"\s+of\s+(?:the|them|those|these|whom|its|their)\b", re.IGNORECASE)
_INCLUDING_RE = re.compile(r"\b(?:including|among them|among whom)\s+$", re.IGNORECASE)
# a part inserted between the figure and its verb: the verb still governs the figure
_INSERTED_PART_RE = re.compile(r"^((?:\s+[\w'’-]+){0,3}?),\s+(?:including|among them)\s+[^,;:.]{1,60},", re.IGNORECASE)


_CLAUSE_BREAK_RE = re.compile(r"[;:]|,\s+(?:and|but|while|whereas|which)\b|,\s+(?=[a-z]+ing\b)")
# the next figure, in digits or words, ends a figure's context on that side
_NEXT_FIGURE_RE = re.compile(
    r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozens?|hundreds?|"
    r"another|others)\b", re.IGNORECASE)
# a figure's own counted word that _NEXT_FIGURE_RE would take for the next figure ("two others")
_OWN_COUNTED_RE = re.compile(r"\s+others\b", re.IGNORECASE)
# "killed 76 people and injured 140": the second figure's clause starts at "and"
_LIST_BREAK_RE = re.compile(r"\b(?:and|but|while|whereas|or)\b(?=(?:\s+\S+){0,2}\s*$)")


def _clause_words(sentence: str, start: int, end: int) -> str:
    """The text around the figure up to clause breaks, lowercased, for context lookups."""
    left = sentence[max(0, start - 60) : start]
    right = sentence[end : end + 60]
    left = re.split(r"\d", left)[-1]  # a figure's context ends at the previous figure
    breaks = list(_CLAUSE_BREAK_RE.finditer(left)) or list(_LIST_BREAK_RE.finditer(left))
    if breaks:
        left = left[breaks[-1].end() :]
    right = _INSERTED_PART_RE.sub(r"\1", right, count=1)  # "six people, including two children, were killed"
    brk = _CLAUSE_BREAK_RE.search(right)
    if brk:
        right = right[: brk.start()]
    # ... but not the figure's own counted word: "two others wounded" is one figure, its context goes on
    own = _OWN_COUNTED_RE.match(right)
    skip = own.end() if own else 0
    right = right[:skip] + _NEXT_FIGURE_RE.split(right[skip:], maxsplit=1)[0]
    words = [*re.findall(r"[a-z'’-]+", left.lower()), "|", *re.findall(r"[a-z'’-]+", right.lower())]
    return " " + " ".join(words) + " "


def singular(noun: str) -> str:
    """The singular of a plural noun read from news ("copies" -> "copy", "matches" -> "match"); the
    metric of a counted noun the taxonomy does not name, and align's subject of a figure."""
    if noun.endswith("ies") and len(noun) > 4:
        return noun[:-3] + "y"
    if noun.endswith(("ches", "shes", "sses", "xes")):
        return noun[:-2]
    if noun.endswith("s") and not noun.endswith(("ss", "us", "is")) and len(noun) > 3:
        return noun[:-1]
    return noun
