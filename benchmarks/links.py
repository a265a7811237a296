"""Score cross-outlet alignment and conflicts on the hand-labelled real stories (real_links).

    .venv/bin/python benchmarks/links.py [EVAL_DIR] [--split dev] [--folds 5] [--show N] [--cli]

With --cli it runs the eval's own scorer (EVAL_DIR/score_links.py) over `auditor run`, as the
eval README says. Without it, it extracts the claims once (cached in --cache), runs align and
check in process, scores the whole split with the same scorer and then each fold of stories
apart (stories are split into folds by a hash of the story id), so the figures on stories that
were held out while the pair model was fitted (scripts/fit_links.py uses the same folds) are
printed beside the overall ones. --show N prints misses and false findings of one fold only
(--show-fold, default 0): look at errors on training folds, measure on the others.
The eval data is read in place, never copied into the repository.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parent.parent
DEFAULT_EVAL = REPO.parent / "shared" / "eval"
KEYS = ("link_precision", "link_recall_extracted", "conflict_precision", "conflict_recall_extracted", "agree_false_alarm")


def story_fold(story: str, folds: int) -> int:
    """The fold of a story: a stable hash of its id (the fitting script uses the same)."""
    return zlib.crc32(str(story).encode("utf-8")) % folds


def load_scorer(eval_dir: Path):
    spec = importlib.util.spec_from_file_location("score_links", eval_dir / "score_links.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def extracted(docs_path: Path, cache: Path | None):
    """(documents, claims) of the split, from the cache when it is newer than the documents."""
    if cache and cache.exists() and cache.stat().st_mtime > docs_path.stat().st_mtime:
        with cache.open("rb") as handle:
            return pickle.load(handle)
    from auditor.extract import extract_claims
    from auditor.ingest.documents import read_documents

    documents, _ = read_documents([str(docs_path)])
    result = (documents, extract_claims(documents.to_dict("records")))
    if cache:
        with cache.open("wb") as handle:
            pickle.dump(result, handle)
    return result


def audit(documents, claims, rules_dir=None):
    from auditor.align.groups import align_claims
    from auditor.check.validate import check_claims
    from auditor.ruleset import load_rules

    rules = load_rules(rules_dir)
    return check_claims(align_claims(claims, rules, documents), rules)


def write_run(folder: Path, claims, findings) -> Path:
    from auditor.report.exports import write_jsonl

    folder.mkdir(parents=True, exist_ok=True)
    write_jsonl(folder / "claims.jsonl", claims)
    write_jsonl(folder / "findings.jsonl", findings)
    return folder


def fold_runs(checked, folds: int, work: Path):
    """A run folder per fold holding only that fold's claims and findings."""
    claims, findings = checked.claims, checked.findings
    fold_of_claim = claims["story_id"].astype(str).map(lambda s: story_fold(s, folds))
    claim_fold = dict(zip(claims["claim_id"], fold_of_claim))
    for fold in range(folds):
        keep = findings["claim_ids"].map(lambda ids: bool(len(ids)) and claim_fold.get(ids[0]) == fold)
        yield fold, write_run(work / f"fold{fold}", claims[fold_of_claim == fold], findings[keep])


def cross_validate(args, eval_dir: Path, scorer, links, documents, claims) -> dict:
    """Each fold scored by an audit whose pair model was fitted on the other folds."""
    import shutil

    sys.path.insert(0, str(REPO / "scripts"))
    from fit_links import fit_forests, pair_data, write_forest
    from auditor.resources import BUNDLED_RULES_DIR

    features, label, _, fold = pair_data(eval_dir / "real_links" / args.split, args.folds, args.cache)
    out = {}
    with tempfile.TemporaryDirectory(prefix="links-cv-") as work:
        work = Path(work)
        rules = work / "rules"
        shutil.copytree(args.rules or BUNDLED_RULES_DIR, rules, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
        for k in range(args.folds):
            write_forest(rules / "links_forest.json", fit_forests(features[fold != k], label[fold != k]), [])
            from auditor.align import pairs

            pairs.pair_model.cache_clear()
            checked = audit(documents, claims, rules)
            folder = dict(fold_runs(checked, args.folds, work / f"cv{k}"))[k]
            fold_links = [q for q in links if story_fold(q["story"], args.folds) == k]
            out[f"cv{k}"] = scorer.score_all(folder, fold_links)
            print(line(f"held-out fold {k}", out[f"cv{k}"]))
    print(line("held-out, pooled", pooled_counts(out)))
    corpora = sorted({c for v in out.values() for c in v.get("by_corpus", {})})
    for corpus in corpora:
        per_fold = {k: v.get("by_corpus", {}).get(corpus) or (v if all(q["story"].startswith(corpus) for q in links
                    if story_fold(q["story"], args.folds) == int(k[2:])) else None) for k, v in out.items()}
        print(line(f"  {corpus}", pooled_counts({k: v for k, v in per_fold.items() if v})))
    return out


def pooled_counts(out: dict) -> dict:
    """Held-out figures over all folds together, from each fold's counts where the scorer gives
    them (precisions), else the mean of the folds."""
    folds = [v for k, v in out.items() if k.startswith("cv")]
    counts = [f["counts"] for f in folds]
    run, right = sum(c["run_links"] for c in counts), sum(f["link_precision"] * f["counts"]["run_links"] for f in folds if f["link_precision"] is not None)
    found = sum(c["conflict_findings"] for c in counts)
    true = sum(c["true_conflict_findings"] for c in counts)
    mean = lambda key: round(float(np.mean([f[key] for f in folds if f[key] is not None] or [np.nan])), 4)
    return {"link_precision": round(right / run, 4) if run else None, "link_recall_extracted": mean("link_recall_extracted"),
            "conflict_precision": round(true / found, 4) if found else None,
            "conflict_recall_extracted": mean("conflict_recall_extracted"), "agree_false_alarm": mean("agree_false_alarm")}


def line(name: str, figures: dict) -> str:
    return f"{name:<22}" + "  ".join(f"{k}={figures.get(k)}" for k in KEYS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("eval_dir", nargs="?", default=str(DEFAULT_EVAL))
    parser.add_argument("--split", default="dev")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--show-fold", type=int, default=0)
    parser.add_argument("--cache", help="pickle of the extracted claims, reused while newer than the documents")
    parser.add_argument("--rules", help="rules folder (default: the bundled rules)")
    parser.add_argument("--cli", action="store_true", help="run the eval's scorer over `auditor run` instead")
    parser.add_argument("--cross-validate", action="store_true",
                        help="score each fold with a pair model fitted on the other folds only (scripts/fit_links.py)")
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object last")
    args = parser.parse_args()
    eval_dir = Path(args.eval_dir)
    docs_path, links_path = (eval_dir / "real_links" / args.split / name for name in ("docs.jsonl", "links.jsonl"))
    if args.cli:
        auditor = str(Path(sys.executable).parent / "auditor")
        command = [sys.executable, str(eval_dir / "score_links.py"), str(docs_path), str(links_path), "--auditor", auditor]
        sys.exit(subprocess.run(command + (["--show", str(args.show)] if args.show else [])).returncode)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    scorer = load_scorer(eval_dir)
    links = scorer.load_jsonl(links_path)
    documents, claims = extracted(docs_path, Path(args.cache) if args.cache else None)
    checked = audit(documents, claims, args.rules)
    out = {}
    with tempfile.TemporaryDirectory(prefix="links-") as work:
        work = Path(work)
        out["all"] = scorer.score_all(write_run(work / "all", checked.claims, checked.findings), links)
        print(line("all", out["all"]))
        for corpus, figures in out["all"].get("by_corpus", {}).items():
            print(line(f"  {corpus}", figures))
        for fold, folder in fold_runs(checked, args.folds, work):
            fold_links = [q for q in links if story_fold(q["story"], args.folds) == fold]
            show = args.show if fold == args.show_fold else 0
            out[f"fold{fold}"] = scorer.score_all(folder, fold_links, show)
            print(line(f"fold {fold}", out[f"fold{fold}"]))
    if args.cross_validate:
        out.update(cross_validate(args, eval_dir, scorer, links, documents, claims))
    if args.json:
        print(json.dumps(out))


if __name__ == "__main__":
    main()
