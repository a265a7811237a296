"""Score `auditor run --reference` on the Gun Violence Archive set: coverage, agreement, flagged.

    .venv/bin/python benchmarks/gva.py [EVAL_DIR] [--keep DIR] [--limit N] [--show N]

Runs the auditor over gva/documents.jsonl with gva/reference.csv (the official killed and
injured counts per incident; `story` is the incident id), then over the (story, metric)
pairs whose official count is above zero prints:
  coverage   share of pairs for which claims of that metric were found
  agreement  share of covered pairs whose median claim value equals the official count
  flagged    share of disagreeing pairs that carry a reference_mismatch finding (must be 1.0)
and the commonest reasons for disagreement. With --show N it prints N uncovered and N disagreeing
pairs (a fixed random sample) with their casualty claims and the sentences around the casualty words,
for classifying what is missed or wrong. The eval data is read in place, never copied.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = REPO.parent / "shared" / "eval"
METRICS = ("killed", "injured")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(DEFAULT_EVAL))
    parser.add_argument("--keep", help="keep the audit output in this folder")
    parser.add_argument("--limit", type=int, help="only the first N documents (a quick look)")
    parser.add_argument("--show", type=int, default=0, help="print N uncovered and N disagreeing pairs with their sentences")
    parser.add_argument("--auditor", default=f"{shlex.quote(sys.executable)} -m auditor", help="command that runs the auditor")
    args = parser.parse_args()
    gva = Path(args.eval_dir) / "gva"
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="gva-"))
    work.mkdir(parents=True, exist_ok=True)
    docs = gva / "documents.jsonl"
    if args.limit:
        docs = work / "documents.jsonl"
        with (gva / "documents.jsonl").open() as source, docs.open("w") as target:
            target.writelines(line for _, line in zip(range(args.limit), source))
    out = work / "out"
    cmd = [*shlex.split(args.auditor), "run", str(docs), "--out", str(out), "--reference", str(gva / "reference.csv"),
           "--state", str(work / "state.db")]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"auditor failed ({done.returncode}): {done.stderr[-2000:]}")
    print(f"auditor run: {time.perf_counter() - started:.1f} s; {done.stdout.strip()}")
    stories = {json.loads(line)["story"] for line in docs.open()}
    scores = score(out, gva / "reference.csv", stories)
    report(scores)
    if args.show:
        show(scores, docs, args.show)


def score(out: Path, reference_csv: Path, stories: set[str]) -> dict:
    claims = pd.read_json(out / "claims.jsonl", lines=True, dtype={"story_id": str, "story": str})
    findings = pd.read_json(out / "findings.jsonl", lines=True, dtype={"story": str})
    reference = pd.read_csv(reference_csv, dtype={"story": str})
    reference = reference[reference["story"].isin(stories) & reference["metric"].isin(METRICS) & (reference["value"] > 0)]
    # a casualty count is a plain count: a level (not a rise or fall) with no unit ("18 miles" tagged
    # killed is an extraction error the reference check rightly leaves alone)
    levels = claims[claims["metric"].isin(METRICS) & claims["change"].isna() & (claims["unit"].fillna("") == "")] if len(claims) else claims
    median = levels.groupby(["story_id", "metric"])["value"].median()
    holds = _intervals_hold(levels, reference)
    flagged = set()
    if len(findings):
        mismatches = findings[findings["type"] == "reference_mismatch"]
        flagged = set(zip(mismatches["story"].astype(str), mismatches["metric"]))
    rows = []
    for story, metric, official in reference[["story", "metric", "value"]].itertuples(index=False):
        found = median.get((story, metric))
        rows.append({"story": story, "metric": metric, "official": official, "median": found,
                     "covered": found is not None, "agrees": found == official, "flagged": (story, metric) in flagged,
                     "contradicts": not holds.get((story, metric), True)})
    table = pd.DataFrame(rows)
    covered = table[table["covered"]]
    disagree = covered[~covered["agrees"]]
    return {
        "pairs": len(table),
        "coverage": len(covered) / len(table) if len(table) else float("nan"),
        "agreement": covered["agrees"].mean() if len(covered) else float("nan"),
        "flagged": disagree["flagged"].mean() if len(disagree) else float("nan"),
        "flagged_contradictions": disagree[disagree["contradicts"]]["flagged"].mean() if disagree["contradicts"].any() else float("nan"),
        "table": table,
        "claims": levels,
    }


def _intervals_hold(levels: pd.DataFrame, reference: pd.DataFrame) -> dict:
    """(story, metric) -> True when every claim's judged interval [lo, hi] holds the official count."""
    official = {(s, m): v for s, m, v in reference[["story", "metric", "value"]].itertuples(index=False)}
    holds: dict = {}
    for row in levels[["story_id", "metric", "lo", "hi"]].itertuples(index=False):
        key = (row.story_id, row.metric)
        if key not in official:
            continue
        lo = -float("inf") if pd.isna(row.lo) else row.lo
        hi = float("inf") if pd.isna(row.hi) else row.hi
        holds[key] = holds.get(key, True) and lo <= official[key] <= hi
    return holds


def report(scores: dict) -> None:
    table = scores["table"]
    print(f"pairs with an official count > 0: {scores['pairs']}")
    print(f"coverage {scores['coverage']:.3f}  agreement {scores['agreement']:.3f}  flagged share {scores['flagged']:.3f}"
          f"  (of disagreements where some claim's interval excludes the official count: {scores['flagged_contradictions']:.3f})")
    for metric in METRICS:
        part = table[table["metric"] == metric]
        covered = part[part["covered"]]
        print(f"  {metric}: coverage {part['covered'].mean():.3f}  agreement {covered['agrees'].mean():.3f}")
    disagree = table[table["covered"] & ~table["agrees"]]
    direction = Counter("claims higher" if m > o else "claims lower" for m, o in zip(disagree["median"], disagree["official"]))
    print("disagreements:", dict(direction))
    unflagged = disagree[~disagree["flagged"]]
    consistent = int((~unflagged["contradicts"]).sum())
    print(f"disagreeing pairs without a reference_mismatch: {len(unflagged)}, of which {consistent} have every claim's"
          " interval holding the official count (e.g. 'at least one' for 2: the median point differs, nothing contradicts)")
    if len(unflagged):
        print("disagreeing pairs without a reference_mismatch finding (first 10):")
        print(unflagged.head(10).to_string(index=False))


CASUALTY_WORDS = {
    "killed": re.compile(r"kill|dead|die|death|fatal|slain|murder", re.IGNORECASE),
    "injured": re.compile(r"injur|wound|hurt|hospital|shot|struck|grazed|condition", re.IGNORECASE),
}


def show(scores: dict, docs: Path, n: int) -> None:
    """N uncovered and N disagreeing pairs: the claims of the pair's metric and the sentences of the
    story that hold a casualty word, to classify what the extractor missed or got wrong."""
    texts: dict[str, list[str]] = {}
    for line in docs.open():
        doc = json.loads(line)
        texts.setdefault(str(doc["story"]), []).append(doc.get("text") or "")
    table, claims = scores["table"], scores["claims"]
    for title, rows in (("uncovered", table[~table["covered"]]), ("disagreeing", table[table["covered"] & ~table["agrees"]])):
        print(f"\n=== {title} pairs: {len(rows)} (showing {min(n, len(rows))}) ===")
        for row in rows.sample(min(n, len(rows)), random_state=0).itertuples(index=False):
            print(f"\n--- story {row.story} {row.metric}: official {row.official:g}, median claim {row.median}")
            own = claims[(claims["story_id"] == row.story) & (claims["metric"] == row.metric)]
            for claim in own.itertuples(index=False):
                print(f"  claim {claim.surface!r} = {claim.value:g} ({claim.qualifier}): {_around(claim.sentence, claim.surface)}")
            sentences = [s for text in texts.get(row.story, []) for s in re.split(r"(?<=[.!?])\s+", text)]
            for sentence in [s for s in sentences if CASUALTY_WORDS[row.metric].search(s)][:5]:
                print(f"  text: {_around(sentence, None)}")


def _around(sentence: str, surface: str | None, width: int = 110) -> str:
    """The sentence on one line, cut to `width` characters either side of the figure."""
    sentence = " ".join(str(sentence).split())
    at = sentence.find(surface) if surface else -1
    at = max(at, 0)
    return sentence[max(0, at - width) : at + width]


if __name__ == "__main__":
    main()
