"""Numbers as written in English news: digits, number words, scales, fractions.

``NUMBER_RE`` finds a number phrase ("200,000", "1.2 million", "seventy-six", "half a
million", "two-thirds", "25k", "3bn") and ``parse_number`` turns its text into a float.
Currency, units and qualifiers around the phrase are the caller's business.
"""

from __future__ import annotations

import re

ONES = {
    "zero": 0, "naught": 0, "nought": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
# multipliers that end a group ("two hundred", "three million")
SCALES = {
    "hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12,
    "lakh": 1e5, "lakhs": 1e5, "lac": 1e5, "lacs": 1e5, "lkh": 1e5, "lkhs": 1e5, "crore": 1e7,
    "crores": 1e7, "cr": 1e7, "krore": 1e7, "krores": 1e7, "koti": 1e7, "dozen": 12,
    # plural scales multiply what precedes them ("two hundred dozens", "three billions")
    "dozens": 12, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
}
# abbreviations written after digits ("3bn", "£2.7m", "25k"); "m" and "b" only count
# as million/billion next to money, otherwise "5m" is five metres
SUFFIXES = {
    "k": 1e3, "K": 1e3, "thousand": 1e3, "mn": 1e6, "mln": 1e6, "mil": 1e6, "MM": 1e6, "bn": 1e9,
    "bln": 1e9, "tn": 1e12, "trn": 1e12, "tr": 1e12,
}
MONEY_SUFFIXES = {"m": 1e6, "M": 1e6, "b": 1e9, "B": 1e9}
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100, "thousandth": 1000,
    "thousandths": 1000,
}
VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125}

_W = "|".join(sorted([*ONES, *TENS, *[s for s in SCALES if not s.endswith("s")]], key=len, reverse=True))
_FRAC = "|".join(sorted(FRACTIONS, key=len, reverse=True))
# thousands grouped by commas or by thin/no-break spaces ("1 234 567"), decimals, fractions ("3/4")
DIGITS = r"(?:\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
FRACTION = r"(?:\d+\s)?\d{1,3}[/⁄]\d{1,4}(?![\d/⁄])"
SCIENTIFIC = r"\d+(?:\.\d+)?(?:[eE][+-]?\d+|\s?[x×]\s?10(?:\^[+−-]?|[−-])\d+)(?![\w^])"
_DIGIT_HEAD = rf"(?<![\d.,/:])(?:{SCIENTIFIC}|{FRACTION}|{DIGITS}|[{''.join(VULGAR)}])(?:\s?[{''.join(VULGAR)}])?(?![\d])"
_WORD_HEAD = rf"\b(?:{'|'.join(sorted([*ONES, *TENS], key=len, reverse=True))})\b"
_ARTICLE_HEAD = rf"\b(?:a|an|half\s+a|half\s+an)\s+(?:{'|'.join(s for s in SCALES if not s.endswith('s'))})\b"
_HALF_HEAD = rf"\b(?:half|quarter|a\s+quarter)\s+(?:{'|'.join(s for s in SCALES if not s.endswith('s') and s != 'dozen')})\b"
_FRACTION_HEAD = rf"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine)[\s-](?:{_FRAC})\b"
# a continuation: another number word or scale, possibly after "and" ("one hundred and five",
# "two and a half million"); parse_number decides how much of it really belongs
_PLURAL_SCALES = "dozens|hundreds|thousands|millions|billions|lakhs?|lacs?|lkhs?|crores?|cr|krores?|koti"
_SCALE_BEHIND = "(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))"
_CONT = rf"(?:[\s-]+(?:and\s+(?:a\s+|one\s+)?)?(?:{_W}|{_FRAC}|{_PLURAL_SCALES})\b|{_SCALE_BEHIND}\s+(?:and\s+)?\d{{1,3}}\b(?![.,]\d)|\s+point\s+(?:\d+|(?:{_W})(?:[\s-](?:{_W}))*)\b)"
_SUFFIX = r"(?:\s?(?:bn|bln|mn|mln|mil|tn|trn)\b|k\b|K\b|MM\b|[mMbB]\b)"
_LONE_HALF = r"\bhalf\b(?=\s+(?:of|the|its|their|his|her|our|all)\b)"
NUMBER_RE = re.compile(
    rf"(?:{_LONE_HALF}|{_FRACTION_HEAD}|{_ARTICLE_HEAD}|{_HALF_HEAD}|{_DIGIT_HEAD}{_SUFFIX}?|{_WORD_HEAD})(?:{_CONT})*",
    re.IGNORECASE,
)
_TOKEN_RE = re.compile(rf"{SCIENTIFIC}|\d{{1,3}}[/⁄]\d{{1,4}}(?![\d/⁄])|{DIGITS}|[{''.join(VULGAR)}]|[a-zA-Z]+")
DIGIT_WORDS = {**{k: str(v) for k, v in ONES.items()}, **{k: str(v) for k, v in TENS.items()}}


def parse_number(text: str, money: bool = False) -> tuple[float, int] | None:
    """The value of a number phrase and how many characters of it form one number.

    ``money`` lets a trailing "m"/"b" mean million/billion. Returns None when the phrase
    is not a number after all (e.g. "a" alone).
    """
    total, current, seen, end, prev, last_scale = 0.0, None, False, 0, "", 0.0
    tokens = list(_TOKEN_RE.finditer(text))
    i = -1
    while i + 1 < len(tokens):
        i += 1
        tok = tokens[i]
        word = tok.group(0)
        low = word.lower()
        nxt = tokens[i + 1].group(0).lower() if i + 1 < len(tokens) else ""
        if "/" in word or "⁄" in word:
            numerator, denominator = (float(x) for x in re.split("[/⁄]", word))
            if not denominator or (seen and prev[:1].isdigit() is False):
                break
            current = (current or 0.0) + numerator / denominator  # "3/4", "2 1/4"
        elif re.fullmatch(SCIENTIFIC, word):
            if seen:
                break
            mantissa, exponent = re.split(r"\s?[x×]\s?10\^?|[eE]", word, maxsplit=1)
            current = float(f"{mantissa}e{exponent.replace('−', '-')}")  # "1.3e6", "1.3x10^6"
        elif word[0].isdigit() or word[0] == ".":
            small = float(re.sub(r"[,\u00a0\u2009\u202f]", "", word))
            limit = SCALES.get(prev, 100 if prev == "and" else 0)
            if seen and limit > small and small == int(small):
                current = (current or 0.0) + small  # "4 thousand 3 hundred and 21"
                seen, end, prev = True, tok.end(), "9"
                continue
            if seen:
                break
            current = small
        elif low == "point" and seen and current is not None and current == int(current):
            digits, j = _decimal_digits(tokens, i + 1)
            if not digits:
                break
            current = float(f"{int(current)}.{digits}")  # "two point two", "1 point 1"
            end, prev, i = tokens[j - 1].end(), "9", j - 1
            continue
        elif word in VULGAR:
            current = (current or 0.0) + VULGAR[word]
        elif low in ("a", "an"):
            # "a million", "a third", "half a million", "two and a half"
            if nxt not in SCALES and nxt not in FRACTIONS:
                break
            if not seen:
                current = 1.0
            prev = low
            continue
        elif low == "and":
            # "hundred and five", "two and a half", "six million and two thirds"; never "10 and 15"
            after = tokens[i + 2].group(0).lower() if i + 2 < len(tokens) else ""
            if nxt in ONES and after in FRACTIONS and not prev[:1].isdigit():
                fraction = ONES[nxt] / FRACTIONS[after]
                if last_scale and current is None:
                    total += fraction * last_scale
                else:
                    current = (current or 0.0) + fraction
                seen, end, prev = True, tokens[i + 2].end(), "9"
                tokens = tokens[: i + 1] + tokens[i + 3 :]
                continue
            if not (nxt in ("a", "half") or (prev in SCALES and (nxt in ONES or nxt in TENS or nxt.isdigit()))):
                break
            prev = low
            continue
        elif low in ONES or low in TENS:
            value = ONES.get(low, TENS.get(low))
            if seen and (prev not in SCALES and prev != "and" and prev != "") and not _can_add(current or 0.0, value):
                break
            if seen and prev not in SCALES and prev not in TENS and prev != "and":
                break
            current = (current or 0.0) + value
        elif low in FRACTIONS:
            denominator = FRACTIONS[low]
            if prev == "a" and seen and last_scale:  # "3 million and a half"
                total += last_scale / denominator
            elif prev == "a" and seen:  # "two and a half"
                current = (current or 0.0) + 1 / denominator
            elif prev in ("a", "an") or prev in ONES or prev in TENS or (seen and prev[:1].isdigit()):
                current = (current or 1.0) / denominator  # "a third", "two-thirds"
            elif low in ("half", "quarter") and not seen:
                current = 1 / denominator  # "half a million", "quarter million"
            else:
                break
        elif low in SCALES:
            if low == "dozen" and prev not in ("a", "an") and prev not in ONES and not prev[:1].isdigit() and prev != "half":
                break
            base = 1.0 if current is None else current
            if SCALES[low] == 100:
                current = base * 100
            elif current is None and total and SCALES[low] > 100:
                total *= SCALES[low]  # "three thousand millions"
            else:
                total += base * SCALES[low]
                current = None
            last_scale = SCALES[low] if SCALES[low] > 100 else last_scale
        elif seen and (word in SUFFIXES or (money and word in MONEY_SUFFIXES)):
            total += (1.0 if current is None else current) * SUFFIXES.get(word, MONEY_SUFFIXES.get(word, 1))
            current, end = None, tok.end()
            break
        else:
            break
        seen, end, prev = True, tok.end(), low
    if not seen:
        return None
    return total + (current or 0.0), end


def _decimal_digits(tokens, j) -> tuple[str, int]:
    """Digits spoken after "point": "zero three" -> "03", "seventy-one" -> "71", "5" -> "5"."""
    digits = ""
    while j < len(tokens):
        word = tokens[j].group(0).lower()
        if word.isdigit() and not digits:
            return word, j + 1
        if word in DIGIT_WORDS and (word in ONES and ONES[word] < 10 or not digits or digits[-1] != "0"):
            if word in TENS and j + 1 < len(tokens) and tokens[j + 1].group(0).lower() in ONES and ONES[tokens[j + 1].group(0).lower()] < 10:
                digits += str(TENS[word] + ONES[tokens[j + 1].group(0).lower()])
                j += 2
                continue
            digits += DIGIT_WORDS[word]
            j += 1
            continue
        break
    return digits, j


def _can_add(current: float, value: int) -> bool:
    """"twenty" + "six" is fine, "six" + "twenty" or "ten" + "five" is two numbers."""
    tail = current % 100
    if tail == 0:
        return True
    return tail % 10 == 0 and tail >= 20 and value < 10


def _last_was_scale(tokens, i) -> bool:
    return i > 0 and tokens[i - 1].group(0).lower() in SCALES


def _prev_is_count(tokens, i) -> bool:
    return i > 0 and (tokens[i - 1].group(0).lower() in ONES or tokens[i - 1].group(0)[0].isdigit())
