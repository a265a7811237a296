"""What is not a claim: times, ordinals, dates, years, designations, phone numbers, addresses, scores, codes."""

from __future__ import annotations

import re
from functools import lru_cache

from .alternation import trie_alternation
from .figure import NumberReading
from .reading import digits_or_words
from .vocabulary import Lexicon


MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december|"
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec"
)
_MONTH_TRIE = trie_alternation(MONTHS.split("|"))
_MONTH_BEFORE_RE = re.compile(rf"\b(?:{_MONTH_TRIE})\.?\s*$", re.IGNORECASE)
_MONTH_AFTER_RE = re.compile(rf"(?:st|nd|rd|th)?\s*(?:of\s+)?(?:{_MONTH_TRIE})\b", re.IGNORECASE)
_LETTER_HYPHEN_BEFORE_RE = re.compile(r"\b(?!(?:sub|minus|mid)-)[A-Za-z]+-$")
_CAPITALISED_WORD_BEFORE_RE = re.compile(r"(?:^|[\s(])((?:[A-Z]|[a-z]+[A-Z])[\w&'’./-]*)\s+$")
_GLUED_NUMBER_BEFORE_RE = re.compile(r"\d[-/:.]$")
_SCORE_AFTER_RE = re.compile(r"\s?[-–]\s?\d{1,2}\b(?![.,]\d)")
_SCORE_BEFORE_RE = re.compile(r"\b\d{1,2}\s?[-–]\s?$")
_COMPOUND_AFTER_RE = re.compile(r"-(?!(?:old|odd|plus|strong|year-old|month-old|week-old|day-old)\b)[a-z]", re.IGNORECASE)
# "a third place", "a fifth term": an ordinal after "a", unless "a third of" or the clause ends
_ORDINAL_NOT_FRACTION_RE = re.compile(r"\s+(?!of\b|more\b|less\b)[a-z]", re.IGNORECASE)
_FRACTION_ARTICLE_RE = re.compile(r"(?i)an?[\s-](?:third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)s?$")
# "its two millionth visitor", "300 millionths of a metre": a scale ordinal the number did not
# take (a rank, or a fraction we do not read): the number before it is no claim
_SCALE_ORDINAL_AFTER_RE = re.compile(r"[\s-]+(?:hundredth|thousandth|millionth|billionth|trillionth)s?\s+\w", re.IGNORECASE)
# "Image 15 of 16", "Photo 3 of 12": a gallery position, neither figure is a claim
_GALLERY_RE = re.compile(r"(?i)\b(?=[ips])(?:image|photo|photograph|picture|slide)\s+\d+\s+of\s+$")
TIME_UNITS = frozenset(("year", "month", "week", "day", "hour", "minute", "second", "decade", "century"))
_PHONE_RE = re.compile(r"\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b|\+\d[\d\s-]{8,}\d")
_CLOCK_RE = re.compile(r"[:.]\d\d\s*(?:a\.?\s?m\.?|p\.?\s?m\.?)|:\d\d\b", re.IGNORECASE)
# re-joined text may space a clock's colon ("3: 30 p. m.", "4: 43 left"): read as a clock only when
# a clock's words follow, since "Update 4: 43 people hurt" is a count
_CLOCK_WORDS = r"\s*(?:[ap]\.?\s?m\b\.?|left\b|remaining\b|to\s+go\b|to\s+play\b)"
_SPACED_CLOCK_TAIL_RE = re.compile(_CLOCK_WORDS, re.IGNORECASE)
# ... or when the hour is written with a leading zero ("09: 40"), or follows "updated", "published"
# or "posted" with nothing but punctuation after the minutes ("updated at 11: 24, Tuesday"); "at"
# alone is no cue: "stopped the fight at 2: 56" is a game clock, a figure of the story
_SPACED_MINUTES_RE = re.compile(r":\s(?P<m>[0-5]\d)(?!\d)")
_CLOCK_INTRO_RE = re.compile(r"(?i)\b(?:updated|published|posted|issued)(?:\s+at)?\s*:?\s+(?:about\s+|around\s+|approximately\s+)?$")
_AFTER_CLOCK_RE = re.compile(r"\s*(?:[,.;)]|$)")
_HOUR_BEFORE_MINUTES_RE = re.compile(r"(?P<h>\d{1,2}):\s$")
_ADDRESS_RE = re.compile(
    r"\s+(?:[A-Z][a-z]*\.?\s+|\d+(?:st|nd|rd|th)\s+){1,3}(?:Street|St|Avenue|Ave|Road|Rd|Lane|Ln|Boulevard|Blvd|Drive|Dr|Way|Place|Court|Terrace)\b"
)
_GLUED_LETTERS_RE = re.compile(r"[A-Za-z]")
_DAY_COMMA_BEFORE_RE = re.compile(r"\d\s*,\s*$")
_YEAR_RANGE_RE = re.compile(r"[-–/](?:\d{2}|\d{4})\b")


def is_not_claim(sentence: str, number: NumberReading, lex: Lexicon) -> bool:
    return not_claim_reason(sentence, number, lex) is not None


def not_claim_reason(sentence: str, number: NumberReading, lex: Lexicon) -> str | None:
    """The id of the filter that makes this number no claim (shown by ``auditor extract --explain``), or None."""
    start = number.num_start
    before, after = sentence[max(0, start - 40) : start], sentence[number.end : number.end + 40]
    raw_end = number.raw_end if number.raw_end >= 0 else start + len(digits_or_words(sentence, start))
    raw_after = sentence[raw_end : raw_end + 40]
    word = sentence[start:raw_end]
    has_unit = number.unit is not None
    if lex.time_after.match(raw_after) or _CLOCK_RE.match(raw_after) or _spaced_clock_hour(before, word, raw_after, lex):
        return "filter.time"  # "4 a.m.", "10.45pm", "16:30", "22: 07 GMT"
    if _spaced_clock_minutes(before, raw_after, lex):
        return "filter.date_or_time_part"  # the minutes of "3: 30 p. m."
    if re.search(r"\S\[$", before) and raw_after.startswith("]") and number.plain_int:
        return "filter.citation"  # a citation marker glued to the text: "found dead inside.[6][7]"
    if word[:1].isdigit() and lex.ordinal_after.match(raw_after):
        return "filter.ordinal"  # "3rd", "21st"
    if (before[-1:].isalpha() or before[-1:] == "_") and number.start == number.num_start:
        return "filter.name_with_digits"  # "G20", "MH17", "S23" (a currency prefix is not part of ``before``)
    if _GLUED_NUMBER_BEFORE_RE.search(before):
        return "filter.date_or_time_part"  # the tail of "2019-09-01", "24/7", "11:30"
    if _is_score_part(sentence, before, raw_after, lex):
        return "filter.score"
    if _COMPOUND_AFTER_RE.match(raw_after) and not has_unit:
        return "filter.number_adjective"  # "three-bed apartment", "a third-party audit"
    if has_unit and number.unit.unit in TIME_UNITS and raw_after.startswith("-") and not re.match(r"-?\s?old\b", after):
        return "filter.duration_adjective"  # "a five-year plan", "a 24-hour strike": a description, not a figure
    if _LETTER_HYPHEN_BEFORE_RE.search(before) or (word[:1].isdigit() and _glued_letters(raw_after, has_unit)):
        return "filter.name_with_digits"  # "COVID-19", "F-35", "5G", "3D"
    if _PHONE_RE.match(sentence, start) or (_ADDRESS_RE.match(raw_after) and number.plain_int):
        return "filter.phone_or_address"
    if "/" in word and lex.not_fractions.match(sentence, start):
        return "filter.not_fraction"  # "9/11", "24/7"
    if _is_date(before, raw_after, number):
        return "filter.date"
    if _is_year(sentence, before, raw_after, number, lex):
        return "filter.year"
    if number.unit and number.unit.kind == "measure" and lex.time_reference_after.match(after):
        return "filter.time_reference"  # "two years ago"
    if word.isalpha() and re.match(r"\s+\d", raw_after):
        return "filter.word_before_digits"  # "just one 52,000-barrel refinery": the word only introduces the figure
    if word.lower() == "one" and (lex.one_before.search(before) or lex.one_after.match(raw_after)):
        return "filter.one_pronoun"  # "no one", "one another"
    if lex.idioms.search(sentence[max(0, start - 12) : raw_end + 12].lower()):
        return "filter.idiom"  # "at one point", "one by one"
    if number.end == raw_end and _SCALE_ORDINAL_AFTER_RE.match(raw_after):
        return "filter.scale_ordinal"  # "the two millionth visitor"
    if _FRACTION_ARTICLE_RE.fullmatch(word) and _ORDINAL_NOT_FRACTION_RE.match(raw_after):
        return "filter.ordinal"  # "a third place finish"
    if _is_designation(sentence, before, number, word, has_unit, lex) or _GALLERY_RE.search(before):
        return "filter.designation"  # "Boeing 737", "No. 1", "Image 15 of 16"
    return None


def _spaced_clock(before_hour: str, hour: str, after_minutes: str, lex: Lexicon) -> bool:
    """Whether "H: MM" (re-joined text spaces the colon) is a time of day, given what comes before
    the hour and after the minutes: "Update 4: 43 people hurt" is a count."""
    if not hour.isdigit() or int(hour) > 23:
        return False
    if _SPACED_CLOCK_TAIL_RE.match(after_minutes) or lex.time_after.match(after_minutes):
        return True  # "3: 30 p. m.", "4: 43 left", "22: 07 GMT"
    if len(hour) == 2 and hour[0] == "0":
        return True  # "09: 40"
    return bool(_CLOCK_INTRO_RE.search(before_hour) and _AFTER_CLOCK_RE.match(after_minutes))


def _spaced_clock_hour(before: str, word: str, raw_after: str, lex: Lexicon) -> bool:
    minutes = _SPACED_MINUTES_RE.match(raw_after)
    return minutes is not None and _spaced_clock(before, word, raw_after[minutes.end():], lex)


def _spaced_clock_minutes(before: str, raw_after: str, lex: Lexicon) -> bool:
    hour = _HOUR_BEFORE_MINUTES_RE.search(before)
    return hour is not None and _spaced_clock(before[:hour.start()], hour.group("h"), raw_after, lex)


def _is_score_part(sentence: str, before: str, raw_after: str, lex: Lexicon) -> bool:
    """"2-0", "ended 2-2": a score when the sentence talks about a match."""
    if not (_SCORE_AFTER_RE.match(raw_after) or _SCORE_BEFORE_RE.search(before)):
        return False
    return bool(sentence_words(sentence) & lex.score_words)


@lru_cache(maxsize=4)
def sentence_words(sentence: str) -> frozenset:
    """The lowercased words of a sentence, read once per sentence however many figures ask."""
    return frozenset(w.lower() for w in re.findall(r"[A-Za-z-]+", sentence))


_SCALE_OR_PLURAL_RE = re.compile(r"(?:bn|mn|mln|k|m|b|tn)\b|s\b", re.IGNORECASE)


def _glued_letters(raw_after: str, has_unit: bool) -> bool:
    """Letters stuck to the digits that are neither a unit nor a scale ("5G", "3D", "747s")."""
    if has_unit or not raw_after[:1].isalpha():
        return False
    return not _SCALE_OR_PLURAL_RE.match(raw_after) or raw_after[:1] == "s"


def _is_date(before: str, raw_after: str, number: NumberReading) -> bool:
    if not number.plain_int or number.value > 31 or number.unit is not None:
        return False
    return bool(_MONTH_BEFORE_RE.search(before) or _MONTH_AFTER_RE.match(raw_after))


def _is_year(sentence: str, before: str, raw_after: str, number: NumberReading, lex: Lexicon) -> bool:
    if not number.plain_int or number.unit is not None or number.start != number.num_start:
        return False
    if raw_after.startswith("s") and not raw_after[1:2].isalpha():
        return True  # "1990s"
    if not 1000 <= number.value <= 2199:
        return False
    to = re.match(r"\s*[-–]\s*(\d[\d,]*)", raw_after)
    if to and not (len(to.group(1)) == 2 or 1000 <= int(to.group(1).replace(",", "")) <= 2100):
        return False  # "2000 - 2500 calories" is a range, "2019-20" a season
    if lex.year_before.search(before):
        return True  # "in 2019", "since 1998", "A.D. 1000", "by 2120"
    if not 1800 <= number.value <= 2100:
        return False
    if _MONTH_BEFORE_RE.search(before) or _YEAR_RANGE_RE.match(raw_after) or _DAY_COMMA_BEFORE_RE.search(before):
        return True  # "May 2019", "2019-20", "November 11, 2025"
    # a bare 1800-2100 is a year unless a countable plural follows ("2019 sales" is a year too,
    # but "1,900 sales" would have a comma)
    counted_plural = re.match(r"\s+(?:[a-z]+\s+)?[a-z]+s\b", raw_after)
    return not counted_plural or re.match(r"\s+(?:was|were|is|has|had|will)\b", raw_after) is not None


# a number listed right after a name with digits continues the list of names: "IE6, 7, 8, 9",
# "Internet Explorer 8 and 9", "Windows 7 or 8" (never across a comma after the name: "Smith, 61,
# and Jones, 48" are ages)
_DESIGNATION_LIST_BEFORE_RE = re.compile(
    r"(?:\b[A-Z][A-Za-z]+ |\b[A-Z]{1,4}-?)\d{1,3}(?:\.\d+)?(?:\s*,\s*\d{1,3}(?:\.\d+)?)*\s*(?:,\s*|,?\s*(?:and|or|to)\s+)$")


def _is_designation(sentence, before, number: NumberReading, word: str, has_unit: bool, lex: Lexicon) -> bool:
    """"Plan Independencia 200", "Boeing 737", "S&P 500", "No. 1", "BBC One", "Section 427"."""
    if has_unit or number.has_scale and word[:1].isdigit() or number.start != number.num_start:
        return False
    if word[:1].isdigit() and not number.plain_int:
        return False
    if lex.designation_before.search(before):
        return True
    if number.plain_int and _DESIGNATION_LIST_BEFORE_RE.search(before):
        return True  # "Internet Explorer 8 and 9", "IE6, 7, 8": the list goes on naming versions
    if number.plain_int and lex.designation_after is not None and lex.designation_after.match(sentence, number.end):
        return True  # "11 Pro", "737 Max": a model name
    capitalised = _CAPITALISED_WORD_BEFORE_RE.search(before)
    if not capitalised:
        return False
    prior = capitalised.group(1)
    if prior.endswith(("'", "’", "'s", "’s")):
        return False  # a possessive owns the figure ("the Lords' 750 peers"), it does not name it
    if lex.qualifier_before.search(prior + " ") or prior.lower() in lex.stop_words or _MONTH_BEFORE_RE.search(prior):
        return False
    if prior.lower() in lex.change_map:
        return False
    sentence_start = before[: capitalised.start(1)].strip() == "" and len(before) < 40
    if sentence_start and not word[:1].isupper():
        return False  # "Some 200 people", "About 76"
    return word[:1].isdigit() or word[:1].isupper()
