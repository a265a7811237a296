"""Score `auditor run` on the rewrites eval set: recall, false alarm and stray conflicts.

    .venv/bin/python benchmarks/rewrites.py [EVAL_DIR] [--split dev] [--keep DIR]

Runs the auditor once over every case's two documents (as the eval README says), with the
`story` field and again without it (story grouping left to the auditor), and prints:
recall (conflict cases caught), false alarm (equivalent cases with any conflict finding)
and stray (conflict findings touching neither rewritten span, per case). Each miss and
false alarm is put down to its stage: extraction (a target figure has no claim, or the
claim's value/unit is wrong), alignment (both claims exist but are not in one group / the
finding pairs the wrong figures) or judgement (same group, intervals judged wrongly).
The eval data is read in place, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import shlex
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = REPO.parent / "shared" / "eval"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(DEFAULT_EVAL))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--keep", help="keep the audit outputs in this folder")
    parser.add_argument("--auditor", default=f"{shlex.quote(sys.executable)} -m auditor", help="command that runs the auditor")
    parser.add_argument("--only", choices=["story", "nostory"], help="run one variant only")
    args = parser.parse_args()
    cases = [json.loads(line) for line in (Path(args.eval_dir) / "rewrites" / f"{args.split}.jsonl").open()]
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rewrites-"))
    work.mkdir(parents=True, exist_ok=True)
    for variant in ("story", "nostory"):
        if args.only and args.only != variant:
            continue
        out = run_auditor(cases, work / variant, keep_story=variant == "story", command=args.auditor)
        scores = score(cases, *read_outputs(out))
        print_scores(variant, scores)


def run_auditor(cases: list[dict], folder: Path, keep_story: bool, command: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    docs = folder / "docs.jsonl"
    with docs.open("w") as handle:
        for case in cases:
            for doc in case["docs"]:
                doc = dict(doc) if keep_story else {k: v for k, v in doc.items() if k != "story"}
                handle.write(json.dumps(doc) + "\n")
    out = folder / "out"
    started = time.perf_counter()
    cmd = [*shlex.split(command), "run", str(docs), "--out", str(out), "--state", str(folder / "state.db")]
    done = subprocess.run(cmd, capture_output=True, text=True)
    if done.returncode not in (0, 1):
        sys.exit(f"auditor failed ({done.returncode}): {done.stderr[-2000:]}")
    print(f"[{folder.name}] auditor run: {time.perf_counter() - started:.1f} s; {done.stdout.strip()}")
    return out


def read_outputs(out: Path) -> tuple[dict, list[dict]]:
    claims = {c["claim_id"]: c for c in map(json.loads, (out / "claims.jsonl").open())}
    findings = [f for f in map(json.loads, (out / "findings.jsonl").open()) if f["type"] == "conflict"]
    return claims, findings


def overlaps(claim: dict, span: dict) -> bool:
    return claim["doc_id"] == span["doc_id"] and claim["start"] < span["end"] and span["start"] < claim["end"]


def score(cases: list[dict], claims: dict, findings: list[dict]) -> dict:
    by_doc: dict[str, list[dict]] = {}
    for claim in claims.values():
        by_doc.setdefault(claim["doc_id"], []).append(claim)
    findings_by_doc: dict[str, list[dict]] = {}
    for finding in findings:
        for doc in {claims[c]["doc_id"] for c in finding["claim_ids"] if c in claims}:
            findings_by_doc.setdefault(doc, []).append(finding)
    caught = conflicts = false_alarms = equivalents = strays = 0
    causes: Counter = Counter()
    examples: dict[str, list[str]] = {}
    for case in cases:
        spans = [case["target"]["a"], case["target"]["b"]]
        doc_ids = [d["id"] for d in case["docs"]]
        touching = {f["finding_id"]: f for d in doc_ids for f in findings_by_doc.get(d, [])}.values()
        on_target = [f for f in touching if any(overlaps(claims[c], s) for c in f["claim_ids"] if c in claims for s in spans)]
        strays += len(touching) - len(on_target)
        if case["kind"] == "conflict":
            conflicts += 1
            if on_target:
                caught += 1
            else:
                cause = miss_cause(case, by_doc, claims)
                causes[f"miss: {cause}"] += 1
                examples.setdefault(f"miss: {cause}", []).append(describe(case, by_doc))
        else:
            equivalents += 1
            if touching:
                false_alarms += 1
                cause = "judgement or extracted value" if on_target else "alignment (stray pairing)"
                causes[f"false alarm: {cause}"] += 1
                examples.setdefault(f"false alarm: {cause}", []).append(describe(case, by_doc, list(touching)))
        for finding in touching:
            if finding not in on_target:
                causes["stray finding"] += 1
                examples.setdefault("stray finding", []).append(f"{case['case']}: {finding['message'][:300]}")
    return {
        "cases": len(cases),
        "recall": caught / conflicts if conflicts else float("nan"),
        "false_alarm": false_alarms / equivalents if equivalents else float("nan"),
        "stray_per_case": strays / len(cases),
        "causes": causes,
        "examples": examples,
    }


def target_claim(case: dict, side: str, by_doc: dict) -> dict | None:
    span = case["target"][side]
    return next((c for c in by_doc.get(span["doc_id"], []) if overlaps(c, span)), None)


def miss_cause(case: dict, by_doc: dict, claims: dict) -> str:
    """Which stage lost a conflict case."""
    a, b = target_claim(case, "a", by_doc), target_claim(case, "b", by_doc)
    if a is None or b is None:
        return "extraction (target figure not extracted)"
    if a["unit"] != b["unit"]:
        return "extraction (units differ)"
    if a["qualifier"] not in ("exact", "approx") and case["original"][:1] in "£$€0123456789":
        return "extraction (qualifier of a neighbouring figure carried over)"
    if a.get("story_id") != b.get("story_id"):
        return "story grouping"
    if a.get("group_id") != b.get("group_id"):
        return "alignment (not grouped)"
    return "judgement (intervals overlap)"


def describe(case: dict, by_doc: dict, findings: list[dict] | None = None) -> str:
    a, b = target_claim(case, "a", by_doc), target_claim(case, "b", by_doc)
    show = lambda c: "-" if c is None else f"{c['surface']!r} v={c['value']} {c['qualifier']} unit={c['unit']!r} counted={c['counted']!r} g={c.get('group_id')}"  # noqa: E731
    text = f"{case['case']} {case['rewrite']}: {case['original']!r} -> {case['rewritten']!r} | A {show(a)} | B {show(b)}"
    if findings:
        text += " | " + " || ".join(f["message"][:200] for f in findings)
    return text


def print_scores(variant: str, scores: dict) -> None:
    print(
        f"[{variant}] cases {scores['cases']}: recall {scores['recall']:.3f}  "
        f"false alarm {scores['false_alarm']:.3f}  stray {scores['stray_per_case']:.3f} per case"
    )
    for cause, count in sorted(scores["causes"].items()):
        print(f"  {cause}: {count}")
        for example in scores["examples"].get(cause, [])[:4]:
            print(f"      {example}")


if __name__ == "__main__":
    main()
