"""Batch benchmark: documents per second for a first run and a rerun, and peak memory.

    python benchmarks/batch.py [--corpus ../shared/eval/corpus/bbc.jsonl] [--limit N] [--workers N] [--scale N]

Runs the real CLI (``python -m auditor run``) as a subprocess in a temporary folder:
1. a first run over the corpus (everything extracted),
2. a rerun over the same inputs into the same --out (nothing extracted, the report kept),
3. a rerun into a new --out folder (nothing extracted or checked: the report is restored from the state),
4. a first run over the corpus repeated to --scale documents (default 4x) with new ids, in a
   fresh state.
Peak memory is the largest sum of PSS (proportional set size: shared pages of the
forked workers are not counted twice) over the run's process tree, sampled every
50 ms. Targets: rerun >= 10x and rerun into a new folder >= 5x faster than the first
run; peak < 1 GB; the scaled run's peak within 1.5x of the first run's.
The issue's figures: ``--limit 300 --scale 4450``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "eval" / "corpus" / "bbc.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="JSONL corpus (one document a line)")
    parser.add_argument("--limit", type=int, help="use only the first N documents")
    parser.add_argument("--workers", type=int, help="extraction processes (default: one per core)")
    parser.add_argument("--no-4x", dest="four", action="store_false", help="skip the scaled memory run")
    parser.add_argument("--scale", type=int, help="documents in the memory run (default: 4x the corpus)")
    args = parser.parse_args()
    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")

    records = load(args.corpus, args.limit)
    with tempfile.TemporaryDirectory(prefix="auditor-bench-") as tmp:
        tmp = Path(tmp)
        write_corpus(tmp / "x1", records, copies=1)
        first = measure(tmp / "x1", tmp / "x1-report", tmp / "x1.db", args.workers)
        rerun = measure(tmp / "x1", tmp / "x1-report", tmp / "x1.db", args.workers)
        moved = measure(tmp / "x1", tmp / "x1-new-report", tmp / "x1.db", args.workers)
        rows = [("first run", len(records), first), ("rerun", len(records), rerun), ("rerun new out", len(records), moved)]
        if args.four:
            scaled = args.scale or 4 * len(records)
            write_corpus(tmp / "x4", records, copies=-(-scaled // len(records)), total=scaled)
            rows.append((f"{scaled} docs run", scaled, measure(tmp / "x4", tmp / "x4-report", tmp / "x4.db", args.workers)))

    print(f"corpus: {args.corpus} ({len(records)} documents), workers: {args.workers or os.cpu_count()}")
    print(f"{'run':<16}{'documents':>10}{'seconds':>10}{'CPU s':>8}{'docs/s':>10}{'peak MB':>10}{'claims':>9}")
    for name, n, m in rows:
        print(f"{name:<16}{n:>10}{m['seconds']:>10.1f}{m['cpu']:>8.1f}{n / m['seconds']:>10.1f}{m['peak_mb']:>10.0f}{m['claims']:>9}")
    speedup, moved_speedup = first["seconds"] / rerun["seconds"], first["seconds"] / moved["seconds"]
    cpu_speedup = first["cpu"] / moved["cpu"]
    print(f"rerun into a new --out in CPU time: {cpu_speedup:.1f}x less than the first run")
    checks = [(f"rerun {speedup:.1f}x faster than first run", speedup >= 10),
              (f"rerun into a new --out {moved_speedup:.1f}x faster than first run (>= 5x)", moved_speedup >= 5), (f"peak {max(m['peak_mb'] for _, _, m in rows):.0f} MB < 1024 MB", all(m["peak_mb"] < 1024 for _, _, m in rows))]
    if args.four:
        ratio = rows[3][2]["peak_mb"] / first["peak_mb"]
        checks.append((f"{rows[3][1]} documents use {ratio:.2f}x the memory of {len(records)} (<= 1.5x)", ratio <= 1.5))
    for text, ok in checks:
        print(f"{'PASS' if ok else 'FAIL'}  {text}")
    return 0 if all(ok for _, ok in checks) else 1


def load(corpus: Path, limit: int | None) -> list[dict]:
    records = []
    with corpus.open(encoding="utf-8") as lines:
        for line in lines:
            if line.strip():
                records.append(json.loads(line))
                if limit and len(records) >= limit:
                    break
    return records


def write_corpus(folder: Path, records: list[dict], copies: int, total: int | None = None) -> None:
    """The corpus ``copies`` times, the first ``total`` documents of that; copies after the first get
    new ids (``id#2``...)."""
    folder.mkdir()
    written = 0
    with (folder / "corpus.jsonl").open("w", encoding="utf-8") as out:
        for copy in range(1, copies + 1):
            for number, record in enumerate(records):
                if total is not None and written >= total:
                    return
                doc_id = record.get("id") or f"doc{number}"
                out.write(json.dumps({**record, "id": doc_id if copy == 1 else f"{doc_id}#{copy}"}) + "\n")
                written += 1


def measure(inputs: Path, out: Path, state: Path, workers: int | None) -> dict:
    command = [sys.executable, "-m", "auditor", "run", str(inputs), "--out", str(out), "--state", str(state)]
    if workers:
        command += ["--workers", str(workers)]
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false"}
    started, cpu_before = time.perf_counter(), _children_cpu()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    peak = [0]
    sampler = threading.Thread(target=sample, args=(process, peak), daemon=True)
    sampler.start()
    _, stderr = process.communicate()
    seconds = time.perf_counter() - started
    cpu = _children_cpu() - cpu_before
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"auditor run failed ({process.returncode}):\n{stderr}")
    summary = json.loads((out / "summary.json").read_text())
    return {"seconds": seconds, "cpu": cpu, "peak_mb": peak[0] / 1024, "claims": summary["claims"], "processed": summary["processed"]}


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished runs and their workers: unlike wall time, not
    stretched when other jobs share the cores."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def sample(process: subprocess.Popen, peak: list[int]) -> None:
    while process.poll() is None:
        peak[0] = max(peak[0], sum(pss_kb(pid) for pid in tree(process.pid)))
        time.sleep(0.05)


def tree(pid: int) -> list[int]:
    """pid and all its descendants."""
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                queue += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
    return pids


def pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
