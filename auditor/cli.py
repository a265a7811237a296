"""Command-line interface: a thin click layer over auditor.pipeline.

Exit codes: 0 the command ran (findings or not), 1 findings of a --fail-on type
exist, 2 it could not run (bad flags, config or rules, unreadable reference),
3 another run holds the state lock (nothing was done; try later). Heavy
modules are imported inside the commands so that --help answers at once.
"""

from __future__ import annotations

import sys

import click

from . import __version__
from .ruleset import finding_types
from .errors import AuditorError


class AuditorGroup(click.Group):
    """Print user errors as one line and exit 2, never with a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except AuditorError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=AuditorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="auditor")
def main():
    """Audit the numbers in the news.

    Extract every numeric claim from articles, line up what different sources say
    about the same story, check the figures against each other and against
    reference data, and write an HTML audit report.
    """


@main.command()
@click.argument("inputs", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True, help="Output format of the claims table.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), help="Write to this file instead of standard output.")
@click.option("--explain", is_flag=True, help="Instead of the table, print for every claim and every number made no claim the ids of the rules that decided it.")
@click.option("--no-pack", "no_pack", multiple=True, metavar="NAME", help="Switch off a rule pack of rules/extraction.yaml for this run, e.g. casualties (repeatable).")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), help="Rules folder (default: the bundled rules/).")
def extract(inputs, fmt, output, explain, no_pack, rules_dir):
    """Print the claims table for INPUTS (files, folders, or - for JSONL on stdin).

    One claim per line in JSONL (or CSV rows): where it is (doc_id, start, end,
    surface, sentence), what it asserts (value, lower, upper, qualifier, change,
    unit), what it counts (counted, metric) and the rules that made it (extracted_by).
    """
    from .ingest.documents import require_inputs
    from .ruleset import load_extraction_rules

    require_inputs(inputs)  # a mistyped path stops the command before any output
    rules_dir = load_extraction_rules(rules_dir)  # so does a broken rules file
    if no_pack:
        _switch_off_packs(no_pack, rules_dir)
    if explain:
        _explain(inputs, output, rules_dir)
        return
    if fmt == "jsonl":
        _extract_jsonl(inputs, output, rules_dir)
        return
    from . import pipeline
    from .report.exports import write_table

    claims = pipeline.extract(list(inputs), rules=rules_dir)
    _report_skipped(claims.attrs["errors"])
    write_table(output or sys.stdout, claims, fmt)


def _switch_off_packs(names, rules_dir) -> None:
    from .extract.vocabulary import DISABLED_PACKS, lexicon

    known = lexicon(rules_dir).packs
    unknown = [n for n in names if n not in known]
    if unknown:
        raise click.UsageError(f"--no-pack {unknown[0]}: no such pack is on (on: {', '.join(known) or 'none'})")
    DISABLED_PACKS.set(frozenset(names))


def _extract_jsonl(inputs, output, rules_dir) -> None:
    """Claims as JSON lines, streamed as they are extracted: no pandas, so the command starts at once."""
    from .extract.document import iter_claims, write_claims_jsonl
    from .ingest.documents import iter_documents

    errors: list[dict] = []
    with click.open_file(output or "-", "w", encoding="utf-8") as sink:
        write_claims_jsonl(sink, iter_claims(iter_documents(list(inputs), errors), rules_dir=rules_dir))
    _report_skipped(errors)


def _explain(inputs, output, rules_dir) -> None:
    from .extract.explain import explain_lines
    from .extract.vocabulary import rules_in_use
    from .ingest.documents import iter_documents

    errors: list[dict] = []
    with click.open_file(output or "-", "w", encoding="utf-8") as sink, rules_in_use(rules_dir):
        for doc in iter_documents(list(inputs), errors):
            for line in explain_lines(doc):
                sink.write(line + "\n")
    _report_skipped(errors)


@main.command()
@click.argument("inputs", nargs=-1)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Folder for index.html, claims.jsonl, findings.jsonl and summary.json.")
@click.option("--rules", "rules_dir", type=click.Path(file_okay=False), help="Rules folder (default: the bundled rules/).")
@click.option("--reference", type=click.Path(dir_okay=False), help="CSV of reference figures: story, metric, value [, date, source, unit, lower, upper].")
@click.option("--fail-on", "fail_on", multiple=True, type=click.Choice(finding_types()), help="Exit 1 when findings of this type exist, info severity aside (repeatable).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), help="Settings file (default: ./auditor.toml, or [tool.auditor] in ./pyproject.toml).")
@click.option("--state", type=click.Path(dir_okay=False), help="State database (default: .auditor/state.db beside the --out folder).")
@click.option("--since", metavar="DATE", help="Skip documents published before DATE (YYYY-MM-DD).")
@click.option("--workers", type=click.IntRange(min=1), help="Extraction processes (default: one per CPU core).")
@click.option("--log-format", "log_format", type=click.Choice(["text", "json"]), help="Log lines on stderr as text (default) or one JSON object per line.")
@click.option("--parquet", is_flag=True, help="Also export claims and findings as Parquet (needs pyarrow: pip install 'auditor[parquet]').")
@click.option("--time-budget", "time_budget", type=click.FloatRange(min=0), metavar="SECONDS", help="Longest extraction of one document; a document over it is skipped, listed, and tried again next run (default: 10; 0: no limit).")
@click.option("--allow-empty", "allow_empty", is_flag=True, help="Write a report even when no document is audited (default: keep the previous report).")
@click.option("--stories", "stories_file", type=click.Path(dir_okay=False), help="CSV with columns doc_id, story: put these documents in these stories (overrides the story field and the automatic grouping).")
@click.option("--engine", type=click.Choice(["pandas", "spark"]), default="pandas", show_default=True, help="Run on this machine (pandas) or on Apache Spark (needs pip install 'auditor[spark]'; see docs/spark.md).")
@click.option("--master", metavar="URL", help="With --engine spark: the Spark master (local[4], spark://host:7077, yarn, k8s://...); default: spark-submit's, else every local core.")
def run(inputs, out_dir, rules_dir, reference, fail_on, config_file, state, since, workers, log_format, parquet, time_budget, allow_empty, stories_file, engine, master):
    """Audit INPUTS and write the HTML report and exports to --out.

    Incremental: documents already extracted (same content) are not processed
    again; the state lives in --state. Settings not given as flags come from
    auditor.toml. Exit 0 when the audit ran, 1 with findings of a --fail-on type,
    2 when it could not run, 3 when another run holds the lock.
    """
    from . import pipeline
    from .config import load_config, parse_date
    from .logs import configure_logging
    from .progress import progress_bar

    settings = load_config(config_file)
    configure_logging(log_format or settings.get("log_format", "text"))
    inputs = list(inputs) or settings.get("inputs", [])
    out_dir = out_dir or settings.get("out")
    ctx = click.get_current_context()
    if not inputs:
        raise click.UsageError("Missing argument 'INPUTS...' (or set inputs in auditor.toml).", ctx=ctx)
    if not out_dir:
        raise click.MissingParameter(ctx=ctx, param_hint="'--out'", param_type="option")
    fail_on = fail_on or tuple(settings.get("fail_on", ()))  # both checked: by click.Choice, by load_config
    if engine == "spark":
        return _run_on_spark(inputs, out_dir, rules_dir or settings.get("rules"), reference or settings.get("reference"),
                             state or settings.get("state"), stories_file or settings.get("stories"), master, fail_on)
    if master:
        raise click.UsageError("--master needs --engine spark.", ctx=ctx)
    with progress_bar(enabled=sys.stderr.isatty()) as progress:
        result = pipeline.run(
            inputs,
            out_dir,
            rules_dir=rules_dir or settings.get("rules"),
            reference=reference or settings.get("reference"),
            state=state or settings.get("state"),
            since=parse_date(since) if since else settings.get("since"),
            workers=workers or settings.get("workers"),
            tolerances=settings.get("tolerances"),
            progress=progress,
            parquet=parquet,
            stories=stories_file or settings.get("stories"),
            budget=time_budget if time_budget is not None else settings.get("time_budget"),
            allow_empty=allow_empty or settings.get("allow_empty", False),
        )
    _report_skipped(result.errors)
    _report_unmatched(result.summary.get("unmatched") or {}, reference or settings.get("reference"), stories_file or settings.get("stories"))
    if result.summary.get("reason") == "no documents to audit":
        kept = f"the report in {out_dir.rstrip('/')} is left as it was" if result.summary["previous_report"] else "no report written"
        click.echo(f"No documents to audit: {kept} (--allow-empty writes an empty report).", err=True)
        return
    _finish(result, "", f"Report: {out_dir.rstrip('/')}/index.html", fail_on)


def _run_on_spark(inputs, out_dir, rules_dir, reference, state, stories, master, fail_on):
    """``auditor run --engine spark``: the same audit as Spark jobs (auditor.spark)."""
    from . import spark as engine

    session = engine.session(master)
    try:
        result = engine.run(session, inputs, out_dir, rules_dir, reference, state=state, stories=stories)
    finally:
        session.stop()
    _report_skipped(result.errors)
    _finish(result, " on Spark", f"Report: {result.out_dir}/index.html; tables: {result.claims_path}, {result.findings_path}",
            fail_on)


def _finish(result, where: str, outputs: str, fail_on) -> None:
    """The closing line of a run, then exit 1 when findings of a --fail-on type exist."""
    summary = result.summary
    click.echo(f"Audited {summary['documents']} documents{where}: {summary['claims']} claims, "
               f"{summary['findings']['total']} findings. {outputs}")
    if fail_on and _alarming(result.findings, fail_on):
        sys.exit(1)


def _alarming(findings, types) -> bool:
    """Findings of a --fail-on type that are worth waking someone for: `info` findings (a hedged
    figure that admits the reference but states another) are for reading, not for alarms."""
    return bool((findings["type"].isin(types) & (findings["severity"] != "info")).any())


def _report_unmatched(unmatched: dict, reference, stories) -> None:
    """One warning line per file whose rows apply to nothing in this run (a typo'd story, metric or id)."""
    rows = unmatched.get("reference") or []
    if rows:
        lines = [str(r["line"]) for r in rows if r.get("line")]
        where = (f"line {lines[0]}" if len(lines) == 1 else f"lines {', '.join(lines[:5])}") if lines else ", ".join(f"{r['story']}/{r['metric']}" for r in rows[:5])
        more = f" and {len(rows) - 5} more" if len(rows) > 5 else ""
        click.echo(f"warning: {reference}: {_rows(len(rows), 'matches', 'match')} no claim's story and metric ({where}{more}); listed in summary.json", err=True)
    ids = unmatched.get("stories") or []
    if ids:
        named = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
        click.echo(f"warning: {stories}: {_rows(len(ids), 'names', 'name')} no document ({named}); listed in summary.json", err=True)


def _rows(n: int, one: str, many: str) -> str:
    return f"1 row {one}" if n == 1 else f"{n} rows {many}"


def _report_skipped(errors: list[dict]) -> None:
    for error in errors:
        click.echo(f"skipped {error['input']}: {error['reason']}", err=True)
