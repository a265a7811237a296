"""Spark scaling benchmark: documents per second for the pandas engine and Spark local[1] and
local[2], and the Spark driver's peak memory as the input grows.

    python benchmarks/spark_scale.py ../shared/eval/corpus/bbc.jsonl [--copies 8] [--small 2] [--limit N]

The corpus is repeated ``--copies`` times with new ids (``<id>#<copy>``), split into 16 JSONL
files (Spark reads a file per task). Each engine runs in a fresh process over a fresh state
and output folder:
1. pandas engine (``auditor.pipeline.run``, one extraction process per core),
2. Spark ``local[1]`` and 3. Spark ``local[2]`` over the same input,
4. Spark ``local[2]`` over the corpus repeated ``--small`` times (a quarter of the input at the
   defaults), for the driver's peak memory at 1x and 4x the input.
Documents per second are over the run itself (the SparkSession's start, some 15 s, is printed
apart), and so is the CPU time each kind of process spent in it (the driver's Python, the JVM,
the Python workers; read from /proc, on Linux): unlike seconds of wall time, CPU time hardly
moves when other jobs share the machine, and it shows what a second core has to share. The
driver's peak memory is the peak resident set of the driver's Python process (the
JVM and the Python workers are other processes). Targets: local[2]/local[1] >= 1.7 on 2 cores;
driver peak at 4x within 1.5x of the peak at 1x. Other work on the machine makes the figures
noisy: run it alone.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

FILES = 16


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", type=Path, help="JSONL corpus, one document a line (e.g. ../shared/eval/corpus/bbc.jsonl)")
    parser.add_argument("--copies", type=int, default=8, help="times the corpus is repeated for the throughput runs")
    parser.add_argument("--small", type=int, default=2, help="times it is repeated for the smaller memory run")
    parser.add_argument("--limit", type=int, help="use only the first N documents of the corpus")
    parser.add_argument("--run", help=argparse.SUPPRESS)  # inside a child: pandas | local[N]
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.run:
        print(json.dumps(measure(args.run, args.data, args.work)))
        return 0
    if not args.corpus.is_file():
        parser.error(f"corpus not found: {args.corpus}")
    with tempfile.TemporaryDirectory(prefix="spark-scale-") as tmp:
        tmp = Path(tmp)
        big, small = repeat(args.corpus, args.copies, tmp / "big", args.limit), repeat(args.corpus, args.small, tmp / "small", args.limit)
        results = {}
        for name, mode, data in (("pandas", "pandas", big), ("local[1]", "local[1]", big), ("local[2]", "local[2]", big),
                                 (f"local[2] x{args.small}", "local[2]", small)):
            results[name] = child(mode, data, tmp / name.replace(" ", "_").replace("[", "").replace("]", ""))
            print(f"{name:14} {results[name]['documents']:6d} documents in {results[name]['seconds']:7.1f} s: "
                  f"{results[name]['documents'] / results[name]['seconds']:6.1f} documents/s; driver peak "
                  f"{results[name]['peak_mb']:6.0f} MB" + (f" (session start {results[name]['startup']:.1f} s)" if "startup" in results[name] else "")
                  + "".join(f"; {kind} {cpu:.1f}" for kind, cpu in results[name].get("cpu", {}).items())
                  + (" CPU s" if results[name].get("cpu") else ""), flush=True)
    rate = {k: v["documents"] / v["seconds"] for k, v in results.items()}
    ratio = rate["local[2]"] / rate["local[1]"]
    growth = results["local[2]"]["documents"] / results[f"local[2] x{args.small}"]["documents"]
    memory = results["local[2]"]["peak_mb"] / results[f"local[2] x{args.small}"]["peak_mb"]
    print(f"scaling local[2]/local[1]: {ratio:.2f} (target >= 1.7)")
    print(f"driver peak memory at {growth:.0f}x the input: {memory:.2f}x (target <= 1.5x)")
    return 0


def repeat(corpus: Path, copies: int, folder: Path, limit: int | None = None) -> Path:
    """The corpus (its first ``limit`` documents) ``copies`` times with new ids, over FILES JSONL files."""
    folder.mkdir(parents=True)
    lines = [json.loads(line) for line in corpus.read_text(encoding="utf-8").splitlines() if line.strip()][:limit]
    outs = [(folder / f"part-{n:02d}.jsonl").open("w", encoding="utf-8") for n in range(FILES)]
    at = 0
    for copy in range(copies):
        for number, record in enumerate(lines):
            record = {**record, "id": f"{record.get('id', number)}#{copy}"}
            outs[at % FILES].write(json.dumps(record, ensure_ascii=False) + "\n")
            at += 1
    for out in outs:
        out.close()
    return folder


def child(mode: str, data: Path, work: Path) -> dict:
    env = {**os.environ, "GX_ANALYTICS_ENABLED": "false", "PYSPARK_PYTHON": sys.executable}
    done = subprocess.run([sys.executable, __file__, "-", "--run", mode, "--data", str(data), "--work", str(work)],
                          capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.exit(f"{mode} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def measure(mode: str, data: Path, work: Path) -> dict:
    work.mkdir(parents=True)
    if mode == "pandas":
        from auditor import pipeline

        start, cpu_before = time.perf_counter(), tree_cpu()
        result = pipeline.run([str(data)], work / "out", state=work / "state.db")
        seconds = time.perf_counter() - start
        documents = result.summary["documents"]
        extra = {"cpu": cpu_spent(cpu_before, tree_cpu())}
    else:
        from auditor import spark as auditor_spark

        start = time.perf_counter()
        session = auditor_spark.session(mode, app_name="spark-scale")
        session.sparkContext.setLogLevel("ERROR")
        startup = time.perf_counter() - start
        start, cpu_before = time.perf_counter(), tree_cpu()
        result = auditor_spark.run(session, [str(data)], work / "out", state=str(work / "state"))
        seconds = time.perf_counter() - start
        cpu = cpu_spent(cpu_before, tree_cpu())
        documents = result.summary["documents"]
        session.stop()
        extra = {"startup": startup, "cpu": cpu}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"documents": documents, "seconds": seconds, "peak_mb": peak_mb, **extra}


def tree_cpu() -> dict[str, float]:
    """CPU seconds so far of this process ("driver"), and of its descendants by kind: the JVM
    ("jvm", with the children it reaped) and Python processes ("python workers": Spark's
    daemon and workers, or the pandas engine's pool; with the children they reaped, and the
    children this process reaped). Descendants are read from /proc (Linux only)."""
    mine, gone = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    totals = {"driver": mine.ru_utime + mine.ru_stime, "python workers": gone.ru_utime + gone.ru_stime}
    if not Path("/proc/self/stat").exists():
        return totals
    tick = os.sysconf("SC_CLK_TCK")
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                command = (entry / "cmdline").read_bytes().split(b"\0")[0].decode(errors="replace")
            except OSError:  # gone meanwhile
                continue
            stats[int(entry.name)] = (int(fields[1]), sum(int(f) for f in fields[11:15]) / tick, command)
    family, grown = {os.getpid()}, True
    while grown:
        found = {pid for pid, (parent, _, _) in stats.items() if parent in family} - family
        family |= found
        grown = bool(found)
    for pid in family - {os.getpid()}:
        _, cpu, command = stats[pid]
        kind = "jvm" if Path(command).name == "java" else "python workers" if "python" in Path(command).name else "other"
        totals[kind] = totals.get(kind, 0.0) + cpu
    return totals


def cpu_spent(before: dict, after: dict) -> dict[str, float]:
    return {kind: after[kind] - before.get(kind, 0.0) for kind in after if kind != "other"}


if __name__ == "__main__":
    sys.exit(main())
