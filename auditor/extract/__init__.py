"""Extract stage: documents -> claims, one row per numeric assertion (see DESIGN.md).

One regex pass per sentence finds number phrases (``auditor.extract.numbers``) and vague amounts;
each is then read outwards: currency before it, unit or percent after it (``auditor.extract.units``,
tables in rules/), a second figure that makes it a range, qualifier words, change verbs, the
counted noun and its metric (rules/taxonomy.yaml), and who said it. Filters drop what is not
a claim (years, dates, times, ordinals, designations, phone numbers, addresses, scores,
durations used as time references). quantulum3 is not used: asked only for digits followed by a
unit-like token our tables lack, it read the unit of one claim in ~57,000 over the eval corpora
("3.2 MPx", now a bare count) at ~4 s of table loading; units are ours (rules/units.yaml).

Conventions of the claim record, beyond DESIGN.md:
- lower/upper hold what the words assert: exact -> lower = upper = value; at_least and
  more_than -> lower = value, upper None; at_most and less_than -> upper = value, lower None;
  approx -> lower = upper = value with qualifier "approx" (the checker widens it by its
  tolerance); range -> both ends, value = midpoint. Two bounds joined by "and"/"but"
  ("more than 100 and fewer than 300") are one range.
- vague amounts ("dozens", "tens of thousands") are ranges by the order-of-magnitude
  convention in rules/extraction.yaml ("Xs" = [X, 10X]: "hundreds" = [100, 1000]).
- change up/down comes from a verb or "up"/"down" before the figure ("rose 5%", "fell by $3m",
  "was down 2.3%", "grow sales by 35%"), a sign on a percent ("-1.3%"), or "up"/"down" ending
  the clause after it ("5% up."). A list that leaves the verb out keeps it ("A was down 2.3%,
  B by 2.6%").
- Noun and adverb forms carry no change: "a 3% drop", "a 60 basis point improvement", "a gain
  of 2.13%", "a loss of 63 cents a share", "a cut of 800,000 barrels a day", "34.4% higher".
  Chosen by the total over NewsQuant dev, whose annotators mark these "=": carrying the change
  got 0 of 12 such figures right, leaving it out all 12 (change F1 +0.020). The cost: the
  checker does not pair "fell 3%" in one outlet with "a 3% drop" in another.
- "from 5% to 7%" after a change word ("rose from 5% to 7%") is one claim: the new level
  (value 7) with change "up"; without a change word it is a range. A change verb straight
  before "to" ("climbed to 6.7% from 6.29%", "fell to 49.55 Hz") gives the new level the same
  change, so both word orders agree (dev: 3 right, 2 wrong, against 2 right, 3 wrong without).
  "rose 5% to $40m" is two claims: the change (5%, up) and the level ($40m, no change); dev
  marks 15 such levels "=" and 8 with the verb's direction, so the level keeps no change.
- A restatement in brackets or after ", or" ("lost 190 points, or 0.6%", "more than $150m
  (£80m)") inherits the change of the figure it restates but keeps its own qualifier: the
  conversion is stated as written (dev: 3 of 4 bracketed conversions after a hedge or bound
  are marked "="; the rewrites benchmark lost 2 conflicts when "more than" was carried over).
- A figure that is both hedged and a change ("rose about 5%") keeps both, qualifier approx and
  change up; NewsQuant dev marks 5 such figures by the change and 4 by the hedge.
- unit: "" for counts; ISO 4217 for money; subunits keep the written figure and name the
  subunit ("19 cents" -> 19 "cent", "164p" -> 164 "penny"; rules/currencies.yaml has the
  factors); "%" for percent; "percentage point" for percentage points; otherwise a unit name
  ("kilometer", "mile per hour", "USD per year"). Ages are unit "year" with counted "age".
  Shares written as words ("one in five", "a third") are plain fractions (0.2, 1/3).
- metric: the taxonomy's metric when a context word and a generic noun match ("killed 76
  people") or the counted noun names it ("76 deaths"); else the counted noun in the singular;
  None when nothing is counted (a bare "$3bn" has no metric rather than a shared "USD" key
  that would pair unrelated sums). Casualty counts (the casualties rule pack, auditor/extract/packs/
  and rules/packs/casualties.yaml): "a man was killed" is killed 1, unless the document states a larger killed count,
  of which the man is one (metric "man"); parts ("two of them were in critical condition"), shares
  and totals over several separate events take no casualty metric.
- attribution: the "according to X", "X said" or "said X" source of the sentence, else None.

Modules, in the order a figure goes through them: vocabulary (the rules, compiled), scan (one
sentence -> its figures), reading (one number phrase), filters (what is not a claim), ranges,
context (qualifiers and changes), counted (counted noun and metric), ellipsis (a bare figure in a
parallel clause takes the unit of the one before: "84.75 cents, while the lowest is 74.07"),
packs (domain grammars run after the generic scan, each switchable: packs/casualties.py), speakers
(attribution),
document (documents -> claims); figure holds the records they pass around. alternation compiles the
word lists as tries; explain prints the rule ids behind each claim (the claim's extracted_by) and
behind each number made no claim (``auditor extract --explain``).

Time is linear in the text: a number phrase reads at most numbers.MAX_NUMBER_WORDS words, a
look-behind reads at most figure.LOOKBEHIND characters, a figure looks back at most
figure.LOOKBACK_FIGURES figures, overlaps are found through a sorted index, and the words around a
figure inside a plain list of numbers are not searched (scan.CONTEXT_REACH); tests/test_hostile.py
counts the work, benchmarks/hostile.py times it.
"""

from .counted import head_noun
from .document import EXTRACTOR_NAME, claim_id, extract_claims, extract_document, extractor_version
from .figure import Figure
from .scan import figures_in_sentence
from .speakers import attribution
from .vocabulary import RULES_DIR, Lexicon, lexicon

__all__ = [
    "EXTRACTOR_NAME", "RULES_DIR", "Figure", "Lexicon", "attribution", "claim_id", "extract_claims",
    "extract_document", "extractor_version", "figures_in_sentence", "head_noun", "lexicon",
]
