"""Attribution: who a sentence says its figures come from ("according to X", "X said", "said X")."""

from __future__ import annotations

import re

from .vocabulary import Lexicon, lexicon


def attribution(sentence: str) -> str | None:
    """Who the sentence says the figures come from: "according to X", "X said", "said X"."""
    lex = lexicon()
    prefix = re.search(r"\b(?:according to|as reported by|citing|data from|figures from)\s+", sentence, re.IGNORECASE)
    if prefix:
        who = re.match(r"[^,.;:()\"“”\d]+", sentence[prefix.end() : prefix.end() + 400])
        words = who.group(0).split()[:6] if who else []
        while words and words[-1].lower() in lex.stop_words:
            words.pop()  # "according to Pew Research 44% of ..." stops before the figure
        if words:
            return " ".join(words)
    for verb in lex.attribution_verbs.finditer(sentence):
        if verb.group(0) == "according":
            continue
        # a speaker is a few words: read a bounded stretch either side, not the rest of a long sentence
        who = (_speaker_before(sentence[max(0, verb.start() - 200) : verb.start()], lex)
               or _speaker_after(sentence[verb.end() : verb.end() + 200]))
        if who:
            return who
    return None


_PRONOUNS = frozenset("he she they it we i you this that there who which".split())


def _speaker_before(text: str, lex: Lexicon) -> str | None:
    words = text.rstrip().split(" ")
    run: list[str] = []
    for word in reversed(words):
        if not word or not re.fullmatch(r"[A-Za-z][\w.'’&-]*", word):
            break
        low = word.lower()
        if low in _PRONOUNS or (low in lex.stop_words and low not in ("the",)):
            break
        run.insert(0, word)
        if low == "the" or len(run) == 4:
            break
    while run and run[0].lower() == "the" and len(run) == 1:
        run = []
    if not run or all(w.lower() == "the" for w in run):
        return None
    if run[-1].lower().endswith(("ly", "ed")) or any(ch.isdigit() for ch in run[-1]):
        return None  # "previously reported", "questioned": not a source
    return " ".join(run)


def _speaker_after(text: str) -> str | None:
    match = re.match(r"\s+((?:[A-Z][\w'’-]*(?:\s|\.\s?(?=[A-Z]))?){1,4})", text)
    return match.group(1).strip().rstrip(".") if match else None
