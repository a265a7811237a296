"""Score the extractor on the team's evaluation data (never shipped: read from --eval-dir).

    python benchmarks/extraction.py [--eval-dir ../shared/eval] [--errors N] [--only newsquant]

NewsQuant dev (scoring exactly as ../shared/eval/README.md): one-to-one greedy matching inside
each sentence; value F1, unit F1 (unit, or counted noun when the unit is empty, normalised),
change F1 (qualifier/change mapped to ~ > < up down =). Precision counts every claim emitted.

Folds: every sentence belongs to one of --folds folds by a hash of its text. Fold 0 is kept out of
sight: --errors never prints its errors, so rules are written while looking at the other folds
only, and the held-out figure says whether they transfer. Printed: whole dev, each fold, the mean
over folds, and held-out vs seen.

Recognizers-Text specs (Number, NumberRange, Percent, Currency) and Duckling phrases: value
accuracy = share of expected results for which some extracted claim has that value (a range:
that lower and upper). Printed with the number of inputs where we emitted extra claims.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.extract import extract_document  # noqa: E402

CURRENCY_NAMES = {
    "usd": "dollar", "$": "dollar", "us$": "dollar", "gbp": "pound sterling", "£": "pound sterling",
    "eur": "euro", "€": "euro", "jpy": "japanese yen", "cny": "chinese yuan", "aud": "australian dollar",
    "cad": "canadian dollar", "myr": "malaysian ringgit", "ils": "shekel", "inr": "indian rupee",
    "hkd": "hong kong dollar", "sgd": "singapore dollar", "nzd": "new zealand dollar", "krw": "south korean won",
    "rub": "russian ruble", "chf": "swiss franc", "zar": "south african rand", "brl": "brazilian real",
    "mxn": "mexican peso", "php": "philippine peso", "try": "turkish lira",
}
SYNONYMS = {
    "%": "percentage", "percent": "percentage", "per cent": "percentage", "pct": "percentage",
    "year of age": "year", "metre": "meter", "kilometre": "kilometer", "centimetre": "centimeter",
    "millimetre": "millimeter", "micrometre": "micrometer", "litre": "liter", "millilitre": "milliliter",
    "degree celsius": "celsius", "degree fahrenheit": "fahrenheit", "penny": "pence", "pence": "pence",
    "milliampere-hour": "milliampere hour", "kilowatt-hour": "kilowatt hour",
}
CHANGE_OF_QUALIFIER = {"approx": "~", "at_least": ">", "more_than": ">", "at_most": "<", "less_than": "<"}


def singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


def norm_unit(unit: str | None) -> str:
    unit = (unit or "").strip().lower().replace("-", " ")
    if unit in ("", "-"):
        return ""
    for spelling, canonical in SYNONYMS.items():
        if unit == spelling:
            unit = canonical
    words = [CURRENCY_NAMES.get(w, SYNONYMS.get(w, w)) for w in unit.split()]
    unit = " ".join(singular(w) for w in words)
    for spelling, canonical in SYNONYMS.items():
        unit = re.sub(rf"\b{re.escape(spelling)}\b", canonical, unit)
    return unit


def close(a, b) -> bool:
    if a is None or b is None:
        return False
    return abs(a - b) <= 1e-6 * max(abs(a), abs(b), 1e-12)


def gold_value(text: str):
    """(value, (a, b) or None) from "3.5", "1000-2000" or "3.0 - 4.0"."""
    match = re.fullmatch(r"\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*-\s*(-?[\d.]+(?:e[+-]?\d+)?)\s*", text)
    if match:
        a, b = float(match.group(1)), float(match.group(2))
        return (a + b) / 2, (a, b)
    return float(text), None


def value_matches(claim: dict, gold: dict) -> bool:
    value, interval = gold_value(str(gold["value"]))
    if interval:
        a, b = interval
        if close(claim["lower"], a) and close(claim["upper"], b):
            return True
        return any(close(claim["value"], v) for v in (a, b, value))
    return close(claim["value"], value)


def claim_change(claim: dict) -> str:
    """The README's mapping; a figure that is both a change and hedged ("rose about 5%") counts
    as the change, the reading NewsQuant's annotators mostly chose."""
    if claim["change"]:
        return claim["change"]
    return CHANGE_OF_QUALIFIER.get(claim["qualifier"], "=")


def f1(hits: int, emitted: int, gold: int) -> tuple[float, float, float]:
    p = hits / emitted if emitted else 0.0
    r = hits / gold if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


HELD_OUT = 0  # the fold whose errors are never printed


def fold_of(text: str, folds: int) -> int:
    return int(hashlib.sha1(text.encode()).hexdigest(), 16) % folds


def score_newsquant(path: Path, show_errors: int, folds: int = 5) -> dict:
    """Scores over all of dev, and per fold (keys "fold0"...): counts kept per fold, F1 at the end."""
    data = json.loads(path.read_text())
    counts = {f: dict(emitted=0, gold=0, value=0, unit=0, change=0) for f in range(folds)}
    errors = []
    for i, item in enumerate(data):
        fold = fold_of(item["text"], folds)
        tally = counts[fold]
        claims = extract_document({"doc_id": str(i), "text": item["text"]})
        golds = item["quantities"]
        tally["emitted"] += len(claims)
        tally["gold"] += len(golds)
        free = list(claims)
        for gold in golds:
            match = next((c for c in free if value_matches(c, gold)), None)
            if match is None:
                errors.append((fold, "miss", item["text"], gold, None))
                continue
            free.remove(match)
            tally["value"] += 1
            ours = match["unit"] or match["counted"] or ""
            if norm_unit(ours) == norm_unit(gold["normalized_unit"]):
                tally["unit"] += 1
            else:
                errors.append((fold, "unit", item["text"], gold, match))
            if claim_change(match) == gold["change"]:
                tally["change"] += 1
            else:
                errors.append((fold, "change", item["text"], gold, match))
        errors.extend((fold, "extra", item["text"], None, c) for c in free)
    seen = [e for e in errors if e[0] != HELD_OUT]
    for _, kind, text, gold, claim in seen[:show_errors]:
        g = gold and (gold["value"], gold["normalized_unit"], gold["change"])
        c = claim and (claim["surface"], claim["value"], claim["unit"], claim["counted"], claim["qualifier"], claim["change"])
        print(f"[{kind}] gold={g} ours={c}\n    {text[:200]}")

    def scores(parts):
        total = {k: sum(counts[f][k] for f in parts) for k in ("emitted", "gold", "value", "unit", "change")}
        return {**{k: f1(total[k], total["emitted"], total["gold"]) for k in ("value", "unit", "change")},
                "claims": total["emitted"], "gold": total["gold"]}

    result = scores(range(folds))
    result["folds"] = [scores([f]) for f in range(folds)]
    result["held_out"] = scores([HELD_OUT])
    result["seen"] = scores([f for f in range(folds) if f != HELD_OUT])
    return result


def range_of(resolution: str):
    match = re.fullmatch(r"[\[(]\s*(-?[\d.e+]*)\s*,\s*(-?[\d.e+]*)\s*[\])]", resolution)
    if not match:
        return None
    lo = float(match.group(1)) if match.group(1) else None
    hi = float(match.group(2)) if match.group(2) else None
    return lo, hi


def spec_number(text: str) -> float | None:
    text = text.strip().rstrip("%")
    try:
        return float(text)
    except ValueError:
        return None


def found(claims: list[dict], value=None, lower=None, upper=None, is_range=False) -> bool:
    for claim in claims:
        if is_range:
            lo_ok = close(claim["lower"], lower) if lower is not None else claim["lower"] is None or claim["qualifier"] in ("at_most", "less_than")
            hi_ok = close(claim["upper"], upper) if upper is not None else claim["upper"] is None
            if lo_ok and hi_ok:
                return True
        elif close(claim["value"], value):
            return True
    return False


def score_recognizers(path: Path, show_errors: int) -> tuple[float, int, int]:
    cases = json.loads(path.read_text())
    expected = hits = 0
    misses = []
    for case in cases:
        claims = extract_document({"doc_id": "r", "text": case["Input"]})
        for result in case.get("Results") or []:
            resolution = result.get("Resolution") or {}
            raw = str(resolution.get("value", ""))
            if raw in ("", "None", "null"):
                continue  # a mention without a value ("a small percent"): nothing to score
            interval = range_of(raw)
            expected += 1
            if interval:
                ok = found(claims, lower=interval[0], upper=interval[1], is_range=True)
            else:
                number = spec_number(raw)
                ok = number is not None and found(claims, value=number)
            hits += ok
            if not ok:
                misses.append((case["Input"], result.get("Text"), raw, [(c["surface"], c["value"], c["lower"], c["upper"]) for c in claims]))
    for miss in misses[:show_errors]:
        print("  miss:", miss)
    return (hits / expected if expected else 0.0), hits, expected


DUCKLING_UNITS = {
    "Gram": "gram", "Litre": "liter", "Millilitre": "milliliter", "Hectolitre": "hectoliter",
    "Gallon": "gallon", "Inch": "inch", "Foot": "foot", "Mile": "mile", "Metre": "meter", "M": "meter",
    "Kilometre": "kilometer", "Centimetre": "centimeter", "Millimetre": "millimeter", "Pound": "pound",
    "Ounce": "ounce", "Cup": "cup", "Celsius": "degree_Celsius", "Fahrenheit": "degree_Fahrenheit",
}


def in_unit(claims: list[dict], unit: str | None) -> list[dict]:
    """The claims with value/lower/upper also expressed in Duckling's unit, when pint can convert.

    Duckling reports "0.002 kg" as 2 Gram; the auditor keeps the unit as written, so both
    readings are scored.
    """
    target = DUCKLING_UNITS.get(unit or "")
    if target is None:
        return claims
    registry = _registry()
    converted = []
    for claim in claims:
        converted.append(claim)
        if not claim["unit"] or claim["unit"].isupper():
            continue
        try:
            factor = registry.Quantity(1.0, claim["unit"].replace(" ", "_")).to(target).magnitude
        except Exception:  # pint raises several error types for unknown or incompatible units
            continue
        scale = lambda v: None if v is None else v * factor  # noqa: E731
        converted.append({**claim, "value": scale(claim["value"]), "lower": scale(claim["lower"]), "upper": scale(claim["upper"])})
    return converted


_PINT = []


def _registry():
    if not _PINT:
        import pint

        _PINT.append(pint.UnitRegistry())
    return _PINT[0]


def score_duckling(path: Path, show_errors: int) -> tuple[float, int, int]:
    records = json.loads(path.read_text())
    expected = hits = 0
    misses = []
    for record in records:
        if record["section"] == "negativeCorpus":
            continue
        claims = in_unit(extract_document({"doc_id": "d", "text": record["text"]}), record.get("unit"))
        kind = record["kind"]
        if kind == "between":
            ok = found(claims, lower=record["low"], upper=record["high"], is_range=True)
        elif kind == "under":
            ok = any(close(c["upper"], record["value"]) for c in claims)
        elif kind == "above":
            ok = any(close(c["lower"], record["value"]) for c in claims)
        else:
            ok = found(claims, value=record["value"])
        expected += 1
        hits += ok
        if not ok:
            misses.append((record["text"], kind, record.get("value", (record.get("low"), record.get("high"))),
                           [(c["surface"], c["value"], c["lower"], c["upper"]) for c in claims]))
    for miss in misses[:show_errors]:
        print("  miss:", miss)
    return (hits / expected if expected else 0.0), hits, expected


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--eval-dir", default=str(Path(__file__).resolve().parents[2] / "shared" / "eval"))
    parser.add_argument("--errors", type=int, default=0, help="print this many errors of each part")
    parser.add_argument("--only", choices=["newsquant", "recognizers", "duckling"])
    parser.add_argument("--folds", type=int, default=5, help="folds of NewsQuant dev by sentence (fold 0 is held out)")
    args = parser.parse_args()
    root = Path(args.eval_dir)
    began = time.perf_counter()
    if args.only in (None, "newsquant"):
        scores = score_newsquant(root / "newsquant" / "dev.json", args.errors, args.folds)
        print(f"newsquant dev: {scores['claims']} claims, {scores['gold']} gold quantities")
        for name in ("value", "unit", "change"):
            p, r, f = scores[name]
            per_fold = [fold[name][2] for fold in scores["folds"]]
            print(f"  {name:6s} F1 {f:.3f}  (P {p:.3f}  R {r:.3f})  folds {' '.join(f'{x:.3f}' for x in per_fold)}"
                  f"  mean {sum(per_fold) / len(per_fold):.3f}  held-out {scores['held_out'][name][2]:.3f}"
                  f"  seen {scores['seen'][name][2]:.3f}")
    if args.only in (None, "recognizers"):
        specs = root / "recognizers_text_specs"
        for name in ("Number__NumberModel", "Number__NumberRangeModel", "Number__PercentModel",
                     "NumberWithUnit__CurrencyModel"):
            acc, hits, total = score_recognizers(specs / f"{name}.json", args.errors)
            print(f"recognizers {name.split('__')[1]:18s} value accuracy {acc:.3f} ({hits}/{total})")
    if args.only in (None, "duckling"):
        acc, hits, total = score_duckling(root / "duckling_en" / "duckling_en_corpus.json", args.errors)
        print(f"duckling phrases{'':15s} value accuracy {acc:.3f} ({hits}/{total})")
    print(f"({time.perf_counter() - began:.1f} s)")


if __name__ == "__main__":
    main()
