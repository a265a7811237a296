"""Wall time and memory: `auditor extract` against a raw quantulum3 loop over the same texts.

    python benchmarks/extract_speed.py [--corpus ../shared/eval/corpus/bbc.jsonl] [--limit N]

Each side runs as a whole separate process (imports, table loading and all). Peak memory is
sampled from /proc every 0.1 s as the summed RSS of the process and all its descendants
(the pool's workers included), and cross-checked with the largest single process's max RSS
from getrusage. Target (issue 3): auditor <= 0.5 x quantulum3's wall time, peak < 1 GB.
"""

from __future__ import annotations

import argparse
import itertools
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", default=str(REPO.parent / "shared" / "eval" / "corpus" / "bbc.jsonl"))
    parser.add_argument("--limit", type=int, help="only the first N articles (for quick checks)")
    parser.add_argument("--skip-quantulum", action="store_true", help="time the auditor only")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with open(args.corpus, encoding="utf-8") as source, open(corpus, "w", encoding="utf-8") as sink:
            sink.writelines(itertools.islice(source, args.limit))
        articles = sum(1 for _ in open(corpus, encoding="utf-8"))
        print(f"{articles} articles from {args.corpus}, {os.cpu_count()} CPUs")
        claims = Path(tmp) / "claims.jsonl"
        auditor_cmd = [sys.executable, "-m", "auditor", "extract", str(corpus), "--output", str(claims)]
        auditor_wall, auditor_peak = measure(auditor_cmd, "auditor")
        print(f"{'':12s} {sum(1 for _ in open(claims, encoding='utf-8'))} claims written")
        if args.skip_quantulum:
            return
        quantulum_wall, _ = measure([sys.executable, "-c", QUANTULUM_LOOP, str(corpus)], "quantulum3")

    import resource

    largest = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"ratio auditor / quantulum3 = {auditor_wall / quantulum_wall:.3f}   (target <= 0.5)")
    print(f"auditor peak memory {auditor_peak / 2**20:.0f} MiB (target < 1024); largest single process {largest:.0f} MiB")


if __name__ == "__main__":
    main()
