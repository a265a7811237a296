"""Word lists compiled as a trie-shaped regex alternation.

Python's regex engine tries the branches of ``a|b|c`` one by one at every position, so a list of
several hundred phrases ("rose", "rose by", "fell", ...) costs several hundred attempts at every
position a pattern is searched from. The same phrases written as a trie ("r(?:ose(?:\\s+by)?)|f...")
cost one step per character. The result matches exactly what the longest-first alternation matched:
the phrases that match at one position are prefixes of one another, and the trie tries the longest
of them first, as the longest-first list did.
"""

from __future__ import annotations

import re


def trie_alternation(phrases, spaces: str | None = None, casefold: bool = False) -> str:
    """A regex (no capture groups) matching any of ``phrases``, longest first.

    ``spaces``: the regex a space in a phrase stands for (e.g. r"\\s+"), else a literal space.
    ``casefold``: phrases are lowercased first (for patterns compiled with re.IGNORECASE).
    """
    trie: dict = {}
    for phrase in set(phrases):
        if casefold:
            phrase = phrase.lower()
        node = trie
        for char in phrase:
            unit = spaces if (char == " " and spaces is not None) else re.escape(char)
            node = node.setdefault(unit, {})
        node[""] = {}  # a phrase ends here
    body, _ = _render(trie)
    if len(trie) > 3 and "" not in trie:
        # a look-ahead at the first character lets the engine leave most positions at once
        body = "(?=[" + "".join(sorted({_first_char(key) for key in trie})) + "])" + body
    return body


def _first_char(unit: str) -> str:
    """The first character of a trie key as a character-class member."""
    if unit.startswith("\\s"):
        return "\\s"
    return unit if unit.startswith("\\") else re.escape(unit)


def _render(node: dict) -> tuple[str, int]:
    """The regex of a trie node and the length, in units, of the longest phrase below it."""
    children = sorted(((key, *_render(child)) for key, child in node.items() if key), key=lambda c: -c[2])
    if not children:
        return "", 0
    parts = [key + text for key, text, _ in children]
    longest = 1 + children[0][2]
    body = parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"
    if "" in node:  # a phrase ends here: the longer ones below are optional
        return (("(?:" + body + ")?") if len(parts) > 1 or len(body) > 1 else body + "?"), longest
    return body, longest
