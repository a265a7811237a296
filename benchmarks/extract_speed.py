"""Extraction speed: the stage alone, the whole process against bare quantulum3, and start-up.

    python benchmarks/extract_speed.py [--corpus ../shared/eval/corpus/bbc.jsonl] [--limit N]

1. Stage: every document extracted in this process, one core; characters per CPU second (process
   time, so that other work on a shared machine does not count) and per wall second. Target (issue
   13): >= 1,000,000 characters a second per core. (quantulum3 is no longer part of extraction;
   it is imported only by the comparison loop below, in its own process.)
2. Whole process: `auditor extract` and a raw quantulum3 loop over the same texts, each as a whole
   separate process (imports, table loading and all). Peak memory is sampled from /proc every 0.1 s
   as the summed RSS of the process and all its descendants (the pool's workers included), and
   cross-checked with the largest single process's max RSS from getrusage. Target: auditor <= 0.2 x
   quantulum3's wall time, peak < 1 GB.
3. Start-up: `auditor extract` on a one-line document against a bare `python -c pass`, the median of
   five runs each. Target: under 0.4 s more.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

QUANTULUM_LOOP = """
import json, sys
import quantulum3.classifier
quantulum3.classifier.USE_CLF = False
from quantulum3 import parser
count = 0
with open(sys.argv[1], encoding="utf-8") as lines:
    for line in lines:
        count += len(parser.parse(json.loads(line)["text"]))
print(count, "quantities")
"""


def tree_rss_bytes(pid: int) -> int:
    """Summed resident memory of ``pid`` and its descendants, read from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    page = os.sysconf("SC_PAGE_SIZE")
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            fields = stat[stat.rindex(")") + 2 :].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
            rss[int(entry)] = int(Path(f"/proc/{entry}/statm").read_text().split()[1]) * page
        except (OSError, ValueError, IndexError):
            continue
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        total += rss.get(current, 0)
        todo.extend(children.get(current, []))
    return total


def measure(command: list[str], label: str) -> tuple[float, int]:
    """(wall seconds, peak summed RSS bytes) of one command run to completion."""
    began = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample():
        nonlocal peak
        while not done.is_set():
            peak = max(peak, tree_rss_bytes(process.pid))
            done.wait(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    wall = time.perf_counter() - began
    done.set()
    sampler.join()
    if process.returncode != 0:
        sys.exit(f"{label} failed ({process.returncode}):\n{err[-2000:]}")
    print(f"{label:12s} wall {wall:7.1f} s   peak RSS (process tree) {peak / 2**20:7.0f} MiB   {out.strip()[-80:]}")
    return wall, peak


def stage_speed(corpus: Path) -> None:
    """Characters per second of extract_document alone."""
    sys.path.insert(0, str(REPO))
    from auditor.extract import extract_document

    docs = [json.loads(line) for line in open(corpus, encoding="utf-8")]
    extract_document({"doc_id": "warm", "text": "Sales rose 5% to $3m; two men were hurt."})  # rules loaded before timing
    chars = sum(len(d.get("text") or "") for d in docs)
    cpu, wall = time.process_time(), time.perf_counter()
    claims = [c for d in docs for c in extract_document(d)]
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(f"stage: {len(docs)} documents, {chars:,} characters, {len(claims)} claims")
    print(f"stage: {chars / cpu:,.0f} characters per CPU second on one core ({cpu:.2f} s CPU), "
          f"{chars / wall:,.0f} per wall second   (target >= 1,000,000)")


def startup() -> None:
    """Median wall time of `auditor extract` on one short document, and of a bare Python."""
    with tempfile.TemporaryDirectory() as tmp:
        doc = Path(tmp) / "one.txt"
        doc.write_text("Sales rose 5% to $3m.", encoding="utf-8")

        def median(command):
            """Median wall and CPU (user + system, from the child's rusage) seconds of five runs."""
            walls, cpus = [], []
            for _ in range(5):
                before = resource.getrusage(resource.RUSAGE_CHILDREN)
                began = time.perf_counter()
                subprocess.run(command, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
                walls.append(time.perf_counter() - began)
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                cpus.append(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
            return sorted(walls)[2], sorted(cpus)[2]

        bare, bare_cpu = median([sys.executable, "-c", "pass"])
        auditor, auditor_cpu = median([sys.executable, "-m", "auditor", "extract", str(doc)])
    print(f"start-up: auditor extract {auditor:.2f} s wall ({auditor_cpu:.2f} s CPU), bare python {bare:.2f} s "
          f"({bare_cpu:.2f} s CPU): difference {auditor - bare:.2f} s wall, {auditor_cpu - bare_cpu:.2f} s CPU   "
          "(target < 0.40 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "eval" / "corpus" / "bbc.jsonl"))
    parser.add_argument("--limit", type=int, help="only the first N articles (for quick checks)")
    parser.add_argument("--skip-quantulum", action="store_true", help="time the auditor only")
    parser.add_argument("--only", choices=["stage", "process", "startup"], help="run one of the three measures")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with open(args.corpus, encoding="utf-8") as source, open(corpus, "w", encoding="utf-8") as sink:
            sink.writelines(itertools.islice(source, args.limit))
        articles = sum(1 for _ in open(corpus, encoding="utf-8"))
        print(f"{articles} articles from {args.corpus}, {os.cpu_count()} CPUs")
        if args.only in (None, "startup"):
            startup()
        if args.only in (None, "stage"):
            stage_speed(corpus)
        if args.only in ("stage", "startup"):
            return
        claims = Path(tmp) / "claims.jsonl"
        auditor_cmd = [sys.executable, "-m", "auditor", "extract", str(corpus), "--output", str(claims)]
        auditor_wall, auditor_peak = measure(auditor_cmd, "auditor")
        print(f"{'':12s} {sum(1 for _ in open(claims, encoding='utf-8'))} claims written")
        if args.skip_quantulum:
            return
        quantulum_wall, _ = measure([sys.executable, "-c", QUANTULUM_LOOP, str(corpus)], "quantulum3")

    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ratio auditor / quantulum3 = {auditor_wall / quantulum_wall:.3f}   (target <= 0.2)")
    print(f"auditor peak memory {auditor_peak / 2**20:.0f} MiB (target < 1024); largest single process {largest:.0f} MiB")


if __name__ == "__main__":
    main()
