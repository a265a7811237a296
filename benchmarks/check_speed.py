"""Time align + check on synthetic claims (target: 100,000 claims in under 60 s).

    .venv/bin/python benchmarks/check_speed.py [--claims 100000] [--seed 0]

Stories of three documents, each stating the same handful of figures in slightly different
sentences, some of them disagreeing, so every check (conflict, decrease, reference,
plausibility) has work to do. Prints the time of each stage and the findings by type.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from auditor.columns import CLAIM_COLUMNS

FIGURES = [  # (counted, metric, unit, sentence template)
    ("people", "killed", "", "Officials said {x} people were killed in the attack on {place}."),
    ("wounded", "injured", "", "At the hospital in {place}, {x} wounded were treated."),
    ("troops", "troops", "", "The ministry sent {x} troops to {place}."),
    ("", None, "USD", "Rebuilding {place} will cost {x} dollars, the agency estimates."),
    ("", None, "%", "Turnout in {place} reached {x}% of voters."),
]
PLACES = ["Port Maren", "the north", "the capital", "the valley", "the coast", "the islands"]


def synthetic_claims(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    rows, reference = [], []
    per_story = 3 * len(FIGURES)
    for story in range(max(1, n // per_story)):
        place = PLACES[story % len(PLACES)]
        truth = [int(rng.integers(1, 500)) for _ in FIGURES]
        for f, (counted, metric, unit, template) in enumerate(FIGURES):
            if metric in ("killed", "injured"):
                reference.append({"story": f"s{story}", "metric": metric, "value": float(truth[f])})
        for d in range(3):
            doc = f"s{story}-d{d}"
            for f, (counted, metric, unit, template) in enumerate(FIGURES):
                value = truth[f] * (2 if rng.random() < 0.02 else 1)  # 2% of figures disagree
                surface = str(value)
                rows.append({
                    "claim_id": f"{doc}-{f}", "doc_id": doc, "source": f"Outlet {d}",
                    "published_at": f"2025-11-{11 + d:02d}", "story": f"s{story}", "start": 0, "end": len(surface),
                    "surface": surface, "sentence": template.format(x=surface, place=place), "value": float(value),
                    "lower": float(value), "upper": float(value), "qualifier": "exact", "change": None,
                    "unit": unit, "counted": counted, "metric": metric, "attribution": None,
                })
    return pd.DataFrame(rows[:n], columns=list(CLAIM_COLUMNS)), pd.DataFrame(reference)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    from auditor.align.groups import align_claims
    from auditor.check.validate import check_claims
    from auditor.check.reference import with_intervals
    from auditor.ruleset import load_rules

    claims, reference = synthetic_claims(args.claims, args.seed)
    reference = with_intervals(reference.assign(date="", source="synthetic", unit="", lower=None, upper=None))
    t0 = time.perf_counter()
    rules = load_rules()
    t1 = time.perf_counter()
    aligned = align_claims(claims, rules)
    t2 = time.perf_counter()
    result = check_claims(aligned, rules, reference)
    t3 = time.perf_counter()
    print(f"claims: {len(claims):,}  groups: {aligned['group_id'].nunique():,}")
    print(f"load rules (GX import): {t1 - t0:.1f} s   align: {t2 - t1:.1f} s   check: {t3 - t2:.1f} s")
    print(f"align + check: {t3 - t1:.1f} s  (target < 60 s)")
    print("findings by type:", result.findings["type"].value_counts().to_dict())


if __name__ == "__main__":
    main()
