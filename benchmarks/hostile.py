"""Hostile input: documents built to make an extractor slow, timed at two sizes.

    python benchmarks/hostile.py [--scale 1.0] [--only NAME]

Each document is generated here (no data is read): number lists ("1,1,1,...", "1 1 1 ..."), number
words ("one hundred and one hundred and ..."), one 600 KB sentence ("200 troops and 200 troops and
..."), a thousand-row table of figures, persons and ages in one endless casualty sentence, and text
full of control characters, and a list of persons with no "and" (which backtracked exponentially). Each is extracted at half size (N) and full size (2N) in this process;
the script prints the time, the claims and the ratio time(2N) / time(N).

Targets (issue 13): every full-size document in under 5 s; doubling a document at most doubles its
time (a ratio near 2; quadratic work shows as 4). Times are CPU seconds of this process (wall time is
printed too, but on a shared machine it counts the other processes' work). tests/test_hostile.py checks linearity by counting work, not time.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from auditor.extract import extract_document  # noqa: E402


def repeated(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


def table(size: int) -> str:
    """Rows of a table pasted as text, one line each (single line breaks: one sentence)."""
    rows, k = [], 0
    while sum(len(r) + 1 for r in rows) < size:
        k += 1
        rows.append(f"| Region {k % 97} | {1000 + 37 * k:,} | {k % 100}.{k % 10}% | ${k % 50}.{k % 7}m |")
    return "Results by region:\n" + "\n".join(rows)


def control_characters(size: int) -> str:
    rng = random.Random(13)
    pieces = [chr(c) for c in range(32) if c not in (10,)] + ["\x7f", "\u200b", "\ufeff", "12", "3.5", "%", "$", " ", "one"]
    return "".join(rng.choice(pieces) for _ in range(size // 2))[:size]


# name -> (generator of a document of about `size` characters, full size in characters)
DOCUMENTS = {
    "commas 1,1,1": (lambda n: repeated("1,", n), 100_000),
    "spaces 1 1 1": (lambda n: repeated("1 ", n), 100_000),
    "number words": (lambda n: repeated("one hundred and ", n), 100_000),
    "long sentence": (lambda n: repeated("200 troops and ", n) + ".", 600_000),
    "figure table": (table, 60_000),  # about 1,300 rows, 5,000 figures
    "casualty list": (lambda n: repeated("a man, a woman, 3 people aged 20, 21 and 22 were killed, ", n), 100_000),
    "money and ranges": (lambda n: repeated("rose 5% to $3m, between 10 and 15 km, ", n), 100_000),
    "persons list": (lambda n: "Gunmen killed " + repeated("a man, a woman, ", n) + " and a boy.", 100_000),
    "control chars": (control_characters, 100_000),
}


def timed(text: str) -> tuple[float, float, int]:
    """(CPU seconds, wall seconds, claims) of one extraction."""
    cpu, wall = time.process_time(), time.perf_counter()
    claims = extract_document({"doc_id": "hostile", "text": text})
    return time.process_time() - cpu, time.perf_counter() - wall, len(claims)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every document size (e.g. 0.1 for a quick run)")
    parser.add_argument("--only", help="run only the documents whose name contains this")
    args = parser.parse_args()
    extract_document({"doc_id": "warm", "text": "Prices rose 5% to $3m, and 2 people were hurt."})  # load the rules first
    print(f"{'document':16s} {'size 2N':>9s} {'cpu(N)':>7s} {'cpu(2N)':>7s} {'ratio':>6s} {'wall(2N)':>8s} {'claims':>7s}"
          "  target cpu(2N) < 5 s, ratio <= 2")
    worst = 0.0
    for name, (make, full) in DOCUMENTS.items():
        if args.only and args.only not in name:
            continue
        size = int(full * args.scale)
        half, _, _ = timed(make(size // 2))
        whole, wall, claims = timed(make(size))
        worst = max(worst, whole)
        flag = "ok" if whole < 5 else "SLOW"
        print(f"{name:16s} {size:9,d} {half:7.2f} {whole:7.2f} {whole / max(half, 1e-9):6.2f} {wall:8.2f} {claims:7d}  {flag}")
    print(f"slowest full-size document: {worst:.2f} CPU s (wall time counts other work on a shared machine too)")


if __name__ == "__main__":
    main()
