"""Numbers as written in English news: digits, number words, scales, fractions.

``NUMBER_RE`` finds a number phrase ("200,000", "1.2 million", "seventy-six", "half a
million", "two-thirds", "25k", "3bn") and ``parse_number`` turns its text into a float.
Currency, units and qualifiers around the phrase are the caller's business.
"""

from __future__ import annotations

import re

from .alternation import trie_alternation

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
    "doz": 12, "dz": 12, "dozs": 12, "dzs": 12,
    # plural scales multiply what precedes them ("two hundred dozens", "three billions")
    "dozens": 12, "hundreds": 1e2, "thousands": 1e3, "millions": 1e6, "billions": 1e9,
}
# abbreviations written after digits ("3bn", "£2.7m", "25k", "1.2b"); "m" only counts as
# million next to money, otherwise "5m" is five metres ("b" is never a unit in news)
SUFFIXES = {
    "k": 1e3, "K": 1e3, "thousand": 1e3, "mn": 1e6, "mln": 1e6, "mil": 1e6, "MM": 1e6, "bn": 1e9,
    "bln": 1e9, "tn": 1e12, "trn": 1e12, "tr": 1e12, "tln": 1e12, "b": 1e9, "B": 1e9,
}
MONEY_SUFFIXES = {"m": 1e6, "M": 1e6}
FRACTIONS = {
    "half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4,
    "fourth": 4, "fourths": 4, "fifth": 5, "fifths": 5, "sixth": 6, "sixths": 6,
    "seventh": 7, "sevenths": 7, "eighth": 8, "eighths": 8, "ninth": 9, "ninths": 9,
    "tenth": 10, "tenths": 10, "hundredth": 100, "hundredths": 100, "thousandth": 1000,
    "thousandths": 1000, "millionth": 1e6, "millionths": 1e6, "billionth": 1e9,
    "billionths": 1e9, "trillionth": 1e12, "trillionths": 1e12,
}
# ordinals that only name a denominator after a number ("three twenty-firsts", "one
# thirtieth"); "first"/"second" alone are never fractions ("the first two")
ORDINAL_DENOMINATORS = {
    "eleventh": 11, "elevenths": 11, "twelfth": 12, "twelfths": 12,
    "thirteenth": 13, "thirteenths": 13, "fourteenth": 14, "fourteenths": 14,
    "fifteenth": 15, "fifteenths": 15, "sixteenth": 16, "sixteenths": 16,
    "seventeenth": 17, "seventeenths": 17, "eighteenth": 18, "eighteenths": 18,
    "nineteenth": 19, "nineteenths": 19, "twentieth": 20, "twentieths": 20, "thirtieth": 30,
    "thirtieths": 30, "fortieth": 40, "fortieths": 40, "fiftieth": 50, "fiftieths": 50,
    "sixtieth": 60, "sixtieths": 60, "seventieth": 70, "seventieths": 70, "eightieth": 80,
    "eightieths": 80, "ninetieth": 90, "ninetieths": 90,
}
FRACTIONS.update(ORDINAL_DENOMINATORS)
# a scale as a denominator ("a millionth", "two hundredths"); singular after a count other
# than "a"/"an"/"one" it is a rank ("the two millionth visitor")
SCALE_ORDINALS = frozenset(k for k, v in FRACTIONS.items() if v >= 100)
# "twenty-first" as a denominator: tens + a ones ordinal
ONES_ORDINALS = {"first": 1, "firsts": 1, "second": 2, "seconds": 2, **{
    k: v for k, v in FRACTIONS.items() if v < 10 and k not in ("half", "halves", "quarter", "quarters")}}
VULGAR = {
    "½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅕": 0.2, "⅖": 0.4, "⅗": 0.6,
    "⅘": 0.8, "⅙": 1 / 6, "⅚": 5 / 6, "⅐": 1 / 7, "⅛": 0.125, "⅜": 0.375, "⅝": 0.625,
    "⅞": 0.875, "⅑": 1 / 9, "⅒": 0.1,
}

# the longest number phrase read, in words after its first ("one billion two hundred and thirty-four
# million five hundred thousand and six" takes 13): a bound, so that a list of number words ("one
# hundred and one hundred and ...") is never matched, and backtracked over, as one phrase
MAX_NUMBER_WORDS = 24
_SINGULAR_SCALES = [s for s in SCALES if not s.endswith("s")]
_CARDINALS = trie_alternation([*ONES, *TENS])  # longest first: "seventeen" before "seven"
_W = trie_alternation([*ONES, *TENS, *_SINGULAR_SCALES])
_FRAC = trie_alternation(FRACTIONS)
# thousands grouped by commas or by thin/no-break spaces ("1 234 567"), decimals, fractions ("3/4")
DIGITS = r"(?:\d{1,3}(?: \d{3}){2,}(?![\d,]|\.\d)|\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d+)?|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d{1,3}(?:[\u00a0\u2009\u202f]\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)"
FRACTION = r"(?:\d+\s{1,2})?\d{1,3}[/⁄]\d{1,4}(?![\d/⁄])"
# "1.3e6", "1.3 x 10^6", and a power written with a caret ("10^6", "2.5^-1"; signs in the
# exponent multiply: "^--2" is "^2")
SCIENTIFIC = r"\d+(?:\.\d+)?(?:[eE][+-]?\d+|\s?[x×]\s?10(?:\^[+−-]?|[−-])\d+|\^[+−-]{0,2}\d{1,3})(?![\w^])"
_DIGIT_HEAD = rf"(?<![\d.,/:])(?:{SCIENTIFIC}|{FRACTION}|{DIGITS}|[{''.join(VULGAR)}])(?:\s?[{''.join(VULGAR)}])?(?![\d])"
# an item of a list of short numbers joined by bare commas ("pages 22,24,26"): no thousands
# grouping has one- or two-digit groups, so each item is a number of its own
_LIST_HEAD = r"(?:(?<=\d,)(?<!\d{3},)(?=\d{1,2},\d{1,2}(?!\d|\.\d))|(?<=\d,\d,)|(?<=\d\d,\d,)|(?<=\d,\d\d,)|(?<=\d\d,\d\d,))\d{1,2}(?!\d|\.\d)"
_WORD_HEAD = rf"\b(?:{_CARDINALS})\b"
_ARTICLE_HEAD = rf"\b(?:a|an|half\s+a|half\s+an)\s+(?:{'|'.join(_SINGULAR_SCALES)})\b"
_HALF_HEAD = rf"\b(?:half|quarter|a\s+quarter)\s+(?:{'|'.join(s for s in _SINGULAR_SCALES if s != 'dozen')})\b"
# "hundred thousand dollars" without "a"/"one": only where no word comes before ("several
# hundred thousand" is vague)
_BARE_HUNDRED_HEAD = r"(?<![A-Za-z])(?<![A-Za-z]\s)\bhundred(?=\s+(?:thousand|million|billion|trillion)\b)"
_FRACTION_HEAD = rf"\b(?:a|an|one|two|three|four|five|six|seven|eight|nine)[\s-](?:{_FRAC})\b"
# a continuation: another number word or scale, possibly after "and" ("one hundred and five",
# "two and a half million"); parse_number decides how much of it really belongs
_PLURAL_SCALES = "dozs|dzs|dozens|hundreds|thousands|millions|billions|lakhs?|lacs?|lkhs?|crores?|cr|krores?|koti"
_SCALE_BEHIND = "(?:(?<=hundred)|(?<=thousand)|(?<=million)|(?<=billion))"
_TENS_BEHIND = "(?:" + "|".join(f"(?<={t})" for t in TENS) + ")"
# "two thirds of a million": a fraction of a scale multiplies it
_FRAC_BEHIND = "(?:" + "|".join(f"(?<={f})" for f in FRACTIONS) + ")"
_OF_SCALE = rf"{_FRAC_BEHIND}\s+of\s+an?\s+(?:hundred|thousand|million|billion|trillion)\b"
_CONT = rf"(?:{_OF_SCALE}|{_TENS_BEHIND}[\s-]firsts\b|[\s-]+(?:and\s+(?:a\s+|one\s+)?)?(?:{_W}|{_FRAC}|{_PLURAL_SCALES})\b|{_SCALE_BEHIND}\s+(?:and\s+)?\d{{1,3}}\b(?![.,]\d)|\s+point\s+(?:\d+|(?:{_W})(?:[\s-](?:{_W})){{0,{MAX_NUMBER_WORDS}}})\b)"
_SUFFIX = r"(?:\s{0,2}(?:bn|bln|mn|mln|mil|tn|trn|tln|k(?![\w-]))\b|K\b|MM\b|[mMbB]\b)"
_LONE_HALF = r"(?:\bhalf\b(?=\s+(?:of|the|its|their|his|her|our|all)\b)|(?<=\bthan\s)half\b)"
# "one over three", "1 over 20" read as a fraction only when the phrase ends there (a
# punctuation mark or the end of the text follows): "won 5 over 3 years" is not one
_SIMPLE = rf"(?:\d+|(?:{_CARDINALS})(?:[\s-]+(?:and\s+)?(?:{_W})\b){{0,{MAX_NUMBER_WORDS}}})"
_OVER = rf"\b{_SIMPLE}\s+over\s+{_SIMPLE}(?=\s*(?:[.,;:!?)]|$))"
# the words a number phrase of NUMBER_RE may start with (a cardinal, "a"/"an" of "a hundred", "a third",
# "half", "quarter", a bare "hundred", a fraction word); their first letters let a scanner skip other words
HEAD_WORDS = frozenset([*ONES, *TENS, *FRACTIONS, *SCALES, "a", "an", "half", "quarter"])
NUMBER_RE = re.compile(
    rf"(?:{_OVER}|{_LONE_HALF}|{_FRACTION_HEAD}|{_ARTICLE_HEAD}|{_HALF_HEAD}|{_BARE_HUNDRED_HEAD}|{_DIGIT_HEAD}{_SUFFIX}?|{_LIST_HEAD}|{_WORD_HEAD})(?:{_CONT}){{0,{MAX_NUMBER_WORDS}}}",
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
    anchor = None  # (end, current, scale) at an "and" right after a scale word
    tokens = list(_TOKEN_RE.finditer(text))
    over = _OVER_SPLIT_RE.search(text)
    if over:
        numerator, denominator = parse_number(text[: over.start()]), parse_number(text[over.end() :])
        if numerator and denominator and denominator[0] and numerator[1] == over.start() and over.end() + denominator[1] == len(text):
            return numerator[0] / denominator[0], len(text)
        return parse_number(text[: over.start()], money)
    if _is_compound_ordinal(tokens):
        return None  # "the twenty-fifth anniversary", "one hundred twenty-first": a rank
    fraction = _ordinal_fraction(text, tokens)
    if fraction is not None:
        return fraction
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
            if re.search(r"\s?[x×]\s?10\^?|[eE]", word):
                mantissa, exponent = re.split(r"\s?[x×]\s?10\^?|[eE]", word, maxsplit=1)
                current = float(f"{mantissa}e{exponent.replace('−', '-')}")  # "1.3e6", "1.3x10^6"
            else:
                base, exponent = word.split("^")
                power = int(exponent.lstrip("+−-")) * (-1) ** len(re.findall("[−-]", exponent))
                try:
                    current = float(base) ** power  # "10^6", "2.5^-1"
                except (OverflowError, ZeroDivisionError):
                    break
        elif word[0].isdigit() or word[0] == ".":
            small = float(re.sub(r"[, \u00a0\u2009\u202f]", "", word))
            limit = SCALES.get(prev, 100 if prev == "and" else 0)
            if seen and limit > small > 0 and small == int(small):
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
        elif low == "of" and prev in FRACTIONS and nxt in ("a", "an") and i + 2 < len(tokens) and tokens[i + 2].group(0).lower() in SCALES:
            scale = tokens[i + 2].group(0).lower()
            total, current = (total + (current or 0.0)) * SCALES[scale], None  # "two thirds of a million"
            seen, end, prev, i = True, tokens[i + 2].end(), scale, i + 2
            continue
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
            numerator, width = _small_words(tokens, i + 1)
            after = tokens[i + 1 + width].group(0).lower() if width and i + 1 + width < len(tokens) else ""
            if after in FRACTIONS and numerator < FRACTIONS[after] and not prev[:1].isdigit():
                # the proper fraction after "and" is the fractional part of a mixed number:
                # "twenty and three fifths" (20.6), "two and fifty-four hundredths" (2.54);
                # an improper one is the numerator's tail: "one hundred and thirty fifths" (130/5)
                fraction = numerator / FRACTIONS[after]
                last = i + 1 + width  # the fraction word
                then = tokens[last + 1].group(0).lower() if last + 1 < len(tokens) else ""
                if last_scale and SCALES.get(then, last_scale) < last_scale:
                    total += fraction * SCALES[then]  # "a billion and three quarters million"
                    seen, end, prev = True, tokens[last + 1].end(), then
                    tokens = tokens[: i + 1] + tokens[last + 2 :]
                    continue
                if last_scale and current is None:
                    total += fraction * last_scale
                else:
                    current = (current or 0.0) + fraction
                seen, end, prev = True, tokens[last].end(), "9"
                tokens = tokens[: i + 1] + tokens[last + 1 :]
                continue
            if not (nxt in ("a", "half") or (prev in SCALES and (nxt in ONES or nxt in TENS or nxt.isdigit()))):
                break
            if prev in SCALES:
                anchor = (end, current, SCALES[prev])
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
            if low in SCALE_ORDINALS and (_has_digits(tokens, i) or (not low.endswith("s") and tokens[0].group(0).lower() not in ("a", "an", "one"))):
                break  # "the two millionth visitor" is a rank; "100 millionths" is not read as 1e-4
            if prev == "a" and seen and last_scale and SCALES.get(nxt, last_scale) < last_scale:
                total += SCALES[nxt] / denominator  # "one billion and a half million"
                end, prev, i = tokens[i + 1].end(), nxt, i + 1
                continue
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
            if low in ("dozen", "doz", "dz", "dozs", "dzs") and prev not in ("a", "an") and prev not in ONES and not prev[:1].isdigit() and prev != "half":
                break
            base = 1.0 if current is None else current
            if anchor is not None and SCALES[low] == anchor[2]:
                end, current = anchor[0], anchor[1]  # "3 hundred and 2 hundred": two numbers
                break
            if anchor is not None and SCALES[low] < 100 and current is not None:
                current = (anchor[1] or 0.0) + (current - (anchor[1] or 0.0)) * SCALES[low]
                seen, end, prev = True, tok.end(), low  # "three hundred and two dozens": 300 + 24
                continue
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


_OVER_SPLIT_RE = re.compile(r"\s+over\s+", re.IGNORECASE)


def _is_compound_ordinal(tokens) -> bool:
    """A singular tens + ones ordinal ("twenty-fifth") is a rank unless "a"/"an"/"one" alone
    comes before it ("one twenty-fifth" is a fraction)."""
    if len(tokens) < 2:
        return False
    low, before = tokens[-1].group(0).lower(), tokens[-2].group(0).lower()
    if low not in ONES_ORDINALS or low.endswith("s") or before not in TENS:
        return False
    return not (len(tokens) == 3 and tokens[0].group(0).lower() in ("a", "an", "one"))


def _ordinal_fraction(text: str, tokens) -> tuple[float, int] | None:
    """A fraction whose denominator is more than one word: "three twenty-firsts" (3/21),
    "one hundred thirty-fifths" (100/35), "ninety-five hundred fifths" (9500/5), "one one
    hundred fifth" (1/105). The denominator is the shortest run of words ending in the
    ordinal that leaves a numerator reading as one whole number; a tens word right before
    the ordinal always belongs to it. A singular ordinal needs the numerator "a"/"an"/"one"
    ("one twenty-fifth"), so "one hundred twenty-fifth anniversary" stays an ordinal."""
    if len(tokens) < 3:
        return None
    if any(t.group(0).lower() == "and" for t in tokens):
        return _one_over_ordinal(text, tokens)  # "six million and two thirds" keeps its old reading
    k = len(tokens) - 1
    low = tokens[k].group(0).lower()
    before = tokens[k - 1].group(0).lower()
    plural = low.endswith("s")
    if low in ONES_ORDINALS and before in TENS:
        ordinal, first = ONES_ORDINALS[low], k - 1  # "twenty-first(s)"
    elif low in FRACTIONS and FRACTIONS[low] not in (2, 4) and (before in SCALES or before in ONES or before in TENS):
        ordinal, first = FRACTIONS[low], k
        if before in TENS and ordinal >= 10:
            return None  # "twenty thirtieths" is not a phrase we read
    else:
        return None
    if low in ("first", "second"):
        return None
    for j in range(first, 0, -1):
        numerator_text = text[: tokens[j].start()].rstrip(" -")
        numerator = parse_number(numerator_text) if numerator_text.lower() not in ("a", "an") else (1.0, len(numerator_text))
        if numerator is None or numerator[1] != len(numerator_text):
            continue
        if not plural and numerator_text.lower() not in ("a", "an", "one"):
            return None
        if j == k:
            denominator = float(ordinal)  # "ninety-five hundred fifths", "two hundred three fifths"
        else:
            head = parse_number(text[tokens[j].start() : tokens[k].start()].rstrip(" -"))
            if head is None or head[0] % 10:
                continue
            denominator = head[0] + ordinal
        if denominator <= 0:
            return None
        return numerator[0] / denominator, tokens[k].end()
    return None


_CARDINAL_WORDS = {v: k for k, v in {**ONES, **TENS}.items() if k not in ("naught", "nought", "fourty")}


def _one_over_ordinal(text: str, tokens) -> tuple[float, int] | None:
    """"one one hundred and fifth" (1/105): "a"/"an"/"one" before a singular ordinal that is
    a whole cardinal with "and" in it. A cardinal start must follow the numerator, so "one
    hundred and fifth" alone stays a rank."""
    first, second, last = (tokens[n].group(0).lower() for n in (0, 1, -1))
    if first not in ("a", "an", "one") or not (second in ONES or second in TENS) or last.endswith("s"):
        return None
    ordinal = ONES_ORDINALS.get(last, FRACTIONS.get(last))
    if ordinal is None or ordinal >= 100 or last in ("half", "quarter"):
        return None
    cardinal = text[tokens[1].start() : tokens[-1].start()] + _CARDINAL_WORDS.get(ordinal, "")
    denominator = parse_number(cardinal)
    if not ordinal in _CARDINAL_WORDS or denominator is None or denominator[1] != len(cardinal) or not denominator[0]:
        return None
    return 1 / denominator[0], tokens[-1].end()


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


def _has_digits(tokens, i) -> bool:
    return any(t.group(0)[:1].isdigit() for t in tokens[:i])


def _small_words(tokens, j) -> tuple[int, int]:
    """A number under a hundred spelled in words from token j ("three", "fifty-four"):
    its value and how many tokens it takes (0 when there is none)."""
    word = tokens[j].group(0).lower() if j < len(tokens) else ""
    if word in ONES:
        return ONES[word], 1
    if word not in TENS:
        return 0, 0
    following = tokens[j + 1].group(0).lower() if j + 1 < len(tokens) else ""
    if following in ONES and 0 < ONES[following] < 10:
        return TENS[word] + ONES[following], 2
    return TENS[word], 1


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
