"""Claim frames: what a figure measures, whose it is, when it holds and the part it plays.

Read from the claim's sentence around its own figure with general token rules (word lists in
rules/frames.yaml), never from one example:
- measured: the noun phrase the figure counts, with the words that say which ("60 votes to end
  debate" -> "vote to end debate"; "the death toll rose to 91" -> "death toll"): the words after
  the figure up to a clause boundary, else the noun phrase just before it.
- entity: whose figure it is: a possessor ("Smith's 12 points" -> "smith"), an of-complement
  with a name ("the 40 pages of the Jones indictment" -> "jones"), else the names of the clause.
- time: a phrase that anchors the figure to another time than the event ("last year", "in 2004",
  "so far this year"); empty for the story's own time.
- frame_role: story (the story's own figure), part ("5 of the 12"), comparison (an earlier value
  it is compared with: "up from 10"), background (anchored to another time) or quote.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pandas as pd

from ..columns import FRAME_COLUMNS
from ..extract.counted import singular
from ..extract.numbers import ONES, SCALES, TENS

_TOKEN = re.compile(r"[A-Za-z][\w'’.-]*[A-Za-z]|[A-Za-z]|\d[\d,.]*|[^\w\s]")
_YEAR = re.compile(r"\b(?:in|since|of|during)\s+((?:19|20)\d\d)\b", re.I)
_CLAUSE_END = set(".;:!?()[]—–")
_QUOTES = "\"“”"
# number words say how many, never what: "seven points" and "7 points" both measure points
_NUMBER_WORDS = frozenset([*ONES, *TENS, *SCALES]) | {f"{t}-{o}" for t in TENS for o in ONES if 0 < ONES[o] < 10}


@lru_cache(maxsize=8)
def frame_words(rules_dir: str | None = None) -> dict:
    """The word lists of rules/frames.yaml (the given rules folder's, else the bundled one)."""
    from ..ruleset import load_rules_file, rules_file_in

    data = load_rules_file(rules_file_in(rules_dir, "frames.yaml"), "frames.yaml")
    return {key: [str(w).lower() for w in value] if isinstance(value, list) else value for key, value in data.items()}



def states_a_number(surface) -> bool:
    """Whether a figure is written as a number ("76", "seventy-six", "a dozen"), not only implied
    by its words ("a woman was killed", "his mother and sister")."""
    words = re.findall(r"[a-z]+(?:-[a-z]+)?", str(surface or "").lower())
    return any(ch.isdigit() for ch in str(surface or "")) or any(w in _NUMBER_WORDS for w in words)


def locate(sentence: str, surface: str, nth: int = 0) -> int:
    """Where the nth occurrence of the figure starts in its sentence (-1 when it is not there)."""
    at = -1
    for _ in range(nth + 1):
        at = sentence.find(surface, at + 1) if surface else -1
        if at < 0:
            return -1
    return at


def claim_frame(sentence: str, surface: str, nth: int, words: dict, previous: bool = False,
                names: frozenset = frozenset()) -> dict:
    """The frame columns of one claim (see the module docstring). ``names``: the words its
    document writes capitalised inside a sentence; a sentence's first word is a name only if
    it is one of them ("McDermott now has..." but not "Officials said...")."""
    at = locate(sentence, surface, nth)
    if at < 0:
        return {"measured": "", "entity": "", "time": "", "frame_role": "comparison" if previous else "story"}
    before = _TOKEN.findall(sentence[:at])
    after = _TOKEN.findall(sentence[at + len(surface):])
    measured = measured_phrase(before, after, surface, words)
    time = time_anchor(sentence, before, after, words)
    return {
        "measured": measured,
        "entity": entity_of(_first_word_cased(before, names), after, words),
        "time": time,
        "frame_role": frame_role(before, after, time, previous, words),
    }


def measured_phrase(before: list[str], after: list[str], surface: str, words: dict) -> str:
    """The noun phrase the figure counts, lower case, nouns in the singular: the unit words of
    the figure itself ("17 points"), then the words after it up to a clause boundary (one joiner
    such as "to" or "of" may carry on: "votes to end debate"), else the noun phrase before it."""
    stop, joiners, dets = set(words["phrase_stop"]), set(words["phrase_joiners"]), set(words["determiners"])
    stop |= set(words["linking_verbs"]) - joiners
    leading = set(words["leading_joiners"])
    phrase = [w.lower() for w in _TOKEN.findall(surface) if w[0].isalpha()]
    figure_words = set(words["figure_words"]) | _NUMBER_WORDS
    phrase = [w for w in phrase if w not in figure_words]
    joined = False
    opened = not phrase
    for token in after[:8]:
        low = token.lower()
        if not token[0].isalpha():  # a figure, a symbol or a clause mark ends the phrase
            break
        if token[0].isupper() and phrase and not opened:  # a name: where or who, not what is measured
            break
        if low in joiners and (phrase or low in leading) and not joined:
            phrase.append(low)
            joined = True
            continue
        if low in stop:
            break
        if low in dets:
            continue
        if opened and phrase and phrase[-1] in leading:  # "for border wall" -> "border wall"
            phrase.pop()
        opened = False
        phrase.append(low)
        if len(phrase) >= 5:
            break
    while phrase and phrase[-1] in joiners:
        phrase.pop()
    if not phrase or all(w in joiners for w in phrase):
        phrase = _noun_before(before, stop | figure_words, dets, set(words["linking_verbs"]), joiners)
    return " ".join(singular(_bare(w)) for w in phrase)



def _bare(word: str) -> str:
    """A word without its possessive ending ("Smith's" -> "smith")."""
    return word[:-2] if word.endswith(("'s", "’s")) else word.rstrip("'’")


def _noun_before(before: list[str], stop: set, dets: set, linking: set, joiners: set) -> list[str]:
    """The noun phrase right before the figure and its verb ("the death toll rose to 91"):
    lower-case words only (a name says whose, not what), no verb in -ed, no leading joiner."""
    # the sentence's first word is capitalised anyway: read it in lower case
    words = [w.lower() if i == 0 else w for i, w in enumerate(before)][-8:]
    words = [w for w in words if w not in _CLAUSE_END and w != ","]
    while words and words[-1].lower() in linking:
        words.pop()
    out: list[str] = []
    for w in reversed(words):
        low = w.lower()
        if low in dets or w[:1].isupper() and out:
            break
        if low in stop or not w[0].isalpha() or w[:1].isupper():
            if out:
                break
            continue
        out.insert(0, low)
        if len(out) >= 3:
            break
    out = [w for w in out if not w.endswith("ed")][-2:]
    while out and out[0] in joiners:
        out.pop(0)
    return out


def entity_of(before: list[str], after: list[str], words: dict) -> str:
    """Whose figure: a possessor ("Smith's 12 points"), else the names of its clause before it
    (the subject: "Smith now has 2,100 points"), else the names after it."""
    skip = set(words["not_entities"])
    if before and before[-1].lower().endswith(("'s", "’s")):
        return before[-1][:-2].lower()
    if len(before) >= 2 and before[-1] in ("'", "’"):
        return before[-2].lower()
    start = len(before)
    while start > 0 and before[start - 1] not in _CLAUSE_END and start > len(before) - 8:
        start -= 1
    names = _names(before[start:], skip) or _names(_before_first(after[:6], ","), skip)
    return " ".join(dict.fromkeys(names))


def _first_word_cased(before: list[str], names: frozenset) -> list[str]:
    """The tokens before the figure with the sentence's first word in lower case unless the
    document writes it capitalised elsewhere too."""
    if before and before[0] not in names:
        return [before[0].lower()] + before[1:]
    return before


def document_names(sentences) -> frozenset:
    """Words written capitalised after the first word of a sentence: the document's names."""
    out = set()
    for sentence in sentences:
        tokens = _TOKEN.findall(str(sentence or ""))
        out.update(t for t, prev in zip(tokens[1:], tokens) if t[:1].isupper() and prev not in _CLAUSE_END and prev not in _QUOTES)
    return frozenset(out)


def _names(tokens: list[str], skip: set) -> list[str]:
    bare = [w[:-2] if w.lower().endswith(("'s", "’s")) else w for w in tokens]
    return [w.lower() for w in bare if w[:1].isupper() and w.lower() not in skip and len(w) > 1]


def _clause(before: list[str], after: list[str]) -> list[str]:
    """The tokens of the clause around the figure: back to the last clause mark, on to the next
    (a sentence's first word included: "Last year the town recorded 30 murders")."""
    start = len(before)
    while start > 0 and before[start - 1] not in _CLAUSE_END:
        start -= 1
    end = 0
    while end < len(after) and after[end] not in _CLAUSE_END:
        end += 1
    return before[start:] + after[:end]


def time_anchor(sentence: str, before: list[str], after: list[str], words: dict) -> str:
    """The phrase that puts the figure at another time than the story's event, or "": looked for
    between the commas around the figure ("revenue rose from $8.7bn a year earlier, and the firm
    will cut 2,500 jobs": the year earlier is the revenue's, not the jobs')."""
    tokens = _clause(_after_last(before, ","), _before_first(after, ","))
    near = " " + " ".join(w.lower() for w in tokens) + " "
    found = [p for p in words["time_anchors"] if f" {p} " in near]
    year = _YEAR.search(" ".join(tokens))
    if year:
        found.append(f"in {year.group(1)}")
    return max(found, key=len) if found else ""


def _after_last(tokens: list[str], mark: str) -> list[str]:
    return tokens[len(tokens) - tokens[::-1].index(mark):] if mark in tokens else tokens


def _before_first(tokens: list[str], mark: str) -> list[str]:
    return tokens[:tokens.index(mark)] if mark in tokens else tokens


def frame_role(before: list[str], after: list[str], time: str, previous: bool, words: dict) -> str:
    if previous:
        return "comparison"
    low_after = [w.lower() for w in after[:4]]
    markers = words["part_markers"]
    for marker in markers:
        parts = marker.split()
        if low_after[:len(parts)] == parts and any(w[0].isdigit() or w in ("them", "those") for w in low_after[len(parts):len(parts) + 3]):
            return "part"
    if any(q in before[-3:] for q in _QUOTES) or any(q in after[:1] for q in _QUOTES):
        return "quote"
    if time:
        return "background"
    return "story"


def claim_frames(claims: pd.DataFrame, rules_dir: str | None = None, previous=None) -> pd.DataFrame:
    """The FRAME_COLUMNS of every claim (a frame aligned on the claims' index)."""
    words = frame_words(str(rules_dir) if rules_dir else None)
    if len(claims) == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in FRAME_COLUMNS}, index=claims.index)
    nth = claims.groupby(["doc_id", "sentence", "surface"], sort=False, dropna=False).cumcount()
    previous = [False] * len(claims) if previous is None else list(previous)
    names = {doc: document_names(group.unique()) for doc, group in claims.groupby("doc_id", sort=False)["sentence"]}
    rows = [
        claim_frame(str(sentence or ""), str(surface or ""), int(n), words, bool(p), names.get(doc, frozenset()))
        for sentence, surface, n, p, doc in zip(claims["sentence"], claims["surface"], nth, previous, claims["doc_id"])
    ]
    return pd.DataFrame(rows, index=claims.index, columns=list(FRAME_COLUMNS))
