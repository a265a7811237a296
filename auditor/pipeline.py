"""The library API: each stage in order, a named result at the end.

    result = audit(["examples/"])              # tables in memory
    run(["examples/"], out_dir="report/")      # and the report on disk

The CLI is a thin layer over these two functions.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone
from pathlib import Path

import pandas as pd

from . import __version__
from .columns import DOCUMENT_COLUMNS
from .errors import AuditorError
from .ingest.documents import require_inputs

log = logging.getLogger(__name__)


@dataclass
class AuditResult:
    """Everything a run produced: the tables between stages and the run summary.

    From :func:`run`, ``documents`` comes without its ``text`` column (the state store holds it)."""

    documents: pd.DataFrame
    claims: pd.DataFrame
    findings: pd.DataFrame
    errors: list[dict]
    validation: list[dict]
    summary: dict


def extract(documents, rules: str | Path | None = None) -> pd.DataFrame:
    """The claims table of ``documents``: one row per numeric claim (columns ``columns.CLAIM_COLUMNS``).

    ``documents`` is a DataFrame with a ``text`` column and optionally ``id`` (or ``doc_id``),
    ``title``, ``source``, ``url``, ``published_at`` and ``story``, or a list of input paths
    (files and folders, as ``auditor extract`` reads them). A row or file that cannot be read
    is left out and listed in ``claims.attrs["errors"]`` as ``{"input", "reason"}``::

        claims = extract(pd.DataFrame({"id": ["a"], "text": ["Officials said 12 boats sank."]}))
        claims[["doc_id", "surface", "value", "metric"]]

    ``rules``: a rules folder replacing the bundled one (its extraction files are validated first).
    Raises :class:`auditor.errors.AuditorError` when an input path does not exist or a rules file is broken.
    """
    from .extract import extract_claims
    from .ruleset import load_extraction_rules

    rules_dir = load_extraction_rules(rules)  # first: a broken rules file stops the run before any work
    documents, errors = read_inputs(documents)
    claims = extract_claims(documents, rules_dir=rules_dir)
    claims.attrs["errors"] = errors
    return claims


def audit(documents, rules: str | Path | None = None, reference=None, stories=None) -> AuditResult:
    """Audit ``documents`` in memory (ingest -> extract -> align -> check) and return the
    tables: ``result.claims`` (every claim with its story, group, interval and verdict) and
    ``result.findings`` (one row per failed check), plus ``result.summary``.

    ``documents``: a DataFrame or a list of input paths, as for :func:`extract`. ``rules``: a
    rules folder replacing the bundled one. ``reference``: official figures, a CSV path or a
    DataFrame with columns story, metric, value (optional date, source, unit, lower, upper).
    ``stories``: a CSV path of doc_id, story that overrides the story grouping. Nothing is
    written to disk; :func:`run` writes the report.

    Raises :class:`auditor.errors.AuditorError` for a missing input path, a broken rules folder,
    or an unreadable reference or stories file, before any work.
    """
    from .align.blocks import align_in_blocks
    from .align.stories import read_story_overrides
    from .check.validate import check_claims
    from .extract import extract_claims
    from .ruleset import load_rules

    loaded = load_rules(rules)  # first: a broken rules file stops the run before any work
    reference_table = reference_table_of(reference)  # a malformed reference also stops the run before any work
    overrides = read_story_overrides(stories) if stories is not None else None
    inputs = ["<DataFrame>"] if isinstance(documents, pd.DataFrame) else [str(i) for i in _as_list(documents)]
    documents, errors = read_inputs(documents)
    claims = extract_claims(documents.to_dict("records"), rules_dir=loaded.directory)
    checked = check_claims(align_in_blocks(claims, loaded, documents, story_overrides=overrides), loaded, reference_table)
    summary = summarise(inputs, documents, checked.claims, checked.findings, errors)
    summary["unmatched"] = unmatched_rows(checked.claims, documents["doc_id"], reference_table, overrides)
    return AuditResult(documents, checked.claims, checked.findings, errors, checked.validation, summary)


def read_inputs(documents) -> tuple[pd.DataFrame, list[dict]]:
    """(documents table, unreadable inputs) from a DataFrame of documents or a list of paths."""
    from .ingest.documents import documents_from_records, read_documents

    if isinstance(documents, pd.DataFrame):
        errors: list[dict] = []
        docs = list(documents_from_records(documents.to_dict("records"), errors))
        return pd.DataFrame(docs, columns=list(DOCUMENT_COLUMNS)), errors
    inputs = [str(i) for i in _as_list(documents)]
    require_inputs(inputs)
    return read_documents(inputs)


def _as_list(inputs) -> list:
    return [inputs] if isinstance(inputs, (str, Path)) else list(inputs)


def reference_table_of(reference) -> pd.DataFrame | None:
    """The reference figures with their judged intervals, from a CSV path or a DataFrame (None: none)."""
    from .check.reference import OPTIONAL, REQUIRED, load_reference, with_intervals

    if reference is None:
        return None
    if isinstance(reference, pd.DataFrame):
        missing = [c for c in REQUIRED if c not in reference.columns]
        if missing:
            raise AuditorError(f"reference table lacks column(s): {', '.join(missing)}")
        table = reference.copy()
        for column in OPTIONAL:
            if column not in table.columns:
                table[column] = float("nan") if column in ("lower", "upper") else ""
        return with_intervals(table.astype({c: float for c in ("value", "lower", "upper")}))
    if not Path(reference).is_file():
        raise AuditorError(f"reference file not found: {reference}")
    table = load_reference(reference)
    table.attrs["path"] = str(reference)
    return table


def unmatched_rows(claims: pd.DataFrame, doc_ids, reference: pd.DataFrame | None, overrides: dict | None) -> dict:
    """Rows of the reference and stories files that apply to nothing in this run, so a typo in a
    story or metric name does not go unnoticed: reference rows whose story and metric no claim
    has (with their line in the file), stories rows whose doc_id no document has."""
    unmatched: dict[str, list] = {"reference": [], "stories": []}
    if reference is not None and len(reference):
        have = set(zip(claims["story_id"].astype(str), claims["metric"].fillna("").astype(str))) if len(claims) else set()
        unmatched["reference"] = [
            {"line": line, "story": story, "metric": metric}
            for line, story, metric in zip(_reference_lines(reference), reference["story"], reference["metric"])
            if (str(story), str(metric)) not in have
        ]
    if overrides:
        known = {str(d) for d in doc_ids}
        unmatched["stories"] = sorted(doc for doc in overrides if doc not in known)
    return unmatched


def _reference_lines(reference: pd.DataFrame) -> list:
    """The CSV line of each reference row read from a file (header on line 1); None for a table made in code."""
    if "path" not in reference.attrs:
        return [None] * len(reference)
    return [position + 2 for position in range(len(reference))]


def run(
    inputs: list[str],
    out_dir: str | Path,
    rules_dir=None,
    reference=None,
    *,
    state: str | Path | None = None,
    since: date | None = None,
    workers: int | None = None,
    tolerances: dict | None = None,
    progress: Callable[[str], None] | None = None,
    parquet: bool = False,
    stories: str | Path | None = None,
    budget: float | None = None,
    allow_empty: bool = False,
) -> AuditResult:
    """Audit incrementally over a state store and publish the report whole.

    Only documents that are new or changed since they were last extracted go to the
    extractor (``workers`` processes, default one per core); align and check then run
    over every claim of this run's documents, unless a recent run checked the same
    documents with the same rules and code (into any output folder): then its check
    result is reused, and when it was the last run into ``out_dir`` and the errors and
    inputs are the same too, the published report
    is kept as it is (``summary["report"] == "kept"``); into another folder, the report's
    files saved with that check result are restored rather than rendered again (only the
    overview and summary.json are made anew: auditor.report.reuse). The report is written to a staging
    folder and swapped into ``out_dir`` in one step, so a run killed at any moment
    leaves the previous report as it was. ``state`` defaults to ``.auditor/state.db``
    beside ``out_dir``; ``since`` skips documents published before that date;
    ``progress`` is called once per document with its outcome; ``stories`` is a CSV of
    doc_id, story that overrides the story grouping.

    Safe by default: an input path that does not exist stops the run before the state or the
    report are touched (:class:`AuditorError`); a run that finds no document to audit (all
    unreadable, or none published since ``since``) keeps the previous report and the run
    history as they were (``summary["report"] == "kept"``) unless ``allow_empty``; a document
    whose extraction takes longer than ``budget`` seconds (default
    ``incremental.DEFAULT_BUDGET``, None: no limit) is skipped, listed in ``errors`` and tried
    again next run; reference and stories rows that match nothing are listed in
    ``summary["unmatched"]``.
    """
    from .align.blocks import align_in_blocks
    from .check.validate import check_claims
    from .incremental import DEFAULT_BUDGET, refresh
    from .ingest.documents import iter_documents
    from .report.publish import check_out_dir, publish, report_is_current
    from .report.html import write_report
    from .ruleset import DEFAULT_RULES_DIR
    from .state.store import Store, default_state_path
    from .align.stories import read_story_overrides

    require_inputs(list(inputs))
    rules_dir = Path(rules_dir) if rules_dir else DEFAULT_RULES_DIR
    reference_table = reference_table_of(reference)  # a malformed reference also stops the run before any work
    overrides = read_story_overrides(stories) if stories is not None else None  # a bad file stops the run before any work
    out_dir = Path(out_dir)
    check_out_dir(out_dir)
    state = Path(state) if state else default_state_path(out_dir)
    if state.resolve().is_relative_to(out_dir.resolve()):
        raise AuditorError(f"--state {state} is inside --out {out_dir}, which is replaced on every run; put it elsewhere")
    rules_hash = _rules_hash(rules_dir, reference, tolerances)
    with Store.open(state) as store, store.lock():
        previous = store.previous_run(out_dir)
        rules = None
        if not store.rules_checked(rules_hash):
            rules = _load_rules(rules_dir, tolerances)  # rules no run has loaded: broken ones stop the run before any work
        run_id = store.start_run(out_dir, rules_hash)
        log.info("run %d started over %d input(s)", run_id, len(inputs), extra={"event": "run_started", "run_id": run_id, "state": str(store.path)})
        errors: list[dict] = []
        processed = refresh(
            store, run_id, iter_documents(inputs, errors), since=since, workers=workers, progress=progress, errors=errors,
            budget=DEFAULT_BUDGET if budget is None else budget or None, rules_dir=rules_dir,
        )
        log.info(
            "documents: %(new)d new, %(changed)d changed, %(unchanged)d unchanged, %(failed)d failed, %(over_budget)d over the time budget, %(too_dense)d number-dense", processed,
            extra={"event": "documents_refreshed", "run_id": run_id, **processed},
        )
        release_memory()
        # without their text, the largest thing the run would hold (+74 MB at 4x the batch benchmark):
        # the story clustering and the report read it from the store when they need it
        documents = pd.DataFrame(store.documents(run_id, text=False), columns=[c for c in DOCUMENT_COLUMNS if c != "text"])
        if documents.empty and not allow_empty:
            return _keep_previous_report(store, run_id, inputs, documents, errors, processed, out_dir)
        scope = store.scope(run_id, f"{rules_hash} {_code_fingerprint()} pandas {pd.__version__} stories {_digest(overrides)}")
        checked = store.cached_result(scope)
        reused = checked is not None
        if not reused:
            rules = rules or _load_rules(rules_dir, tolerances)
            aligned = align_in_blocks(store.claims_table(run_id), rules, documents, story_overrides=overrides, texts=store.texts)
            release_memory()
            checked = check_claims(aligned, rules, reference_table)
            del aligned
            release_memory()
        findings = [_plain_record(f) for f in checked.findings.to_dict("records")]
        summary = summarise(inputs, documents, checked.claims, checked.findings, errors)
        summary.update(
            run_id=run_id,
            state=str(store.path),
            processed=processed,
            rules_hash=rules_hash,
            rules_changed=previous is not None and previous["rules_hash"] != rules_hash,
            checks="reused" if reused else "run",
            report_key=_digest([scope, inputs, errors, parquet]),
            changes=_changes(store, run_id, previous, findings),
            unmatched=unmatched_rows(checked.claims, documents["doc_id"], reference_table, overrides),
        )
        # Nothing the report shows has changed since the report in out_dir was written: keep it
        # as it is (its pages and summary.json stay consistent, and its "changes" still describe
        # what changed since the report before it).
        keep = reused and report_is_current(out_dir, previous, summary["report_key"])
        summary["report"] = "kept" if keep else "written"
        result = AuditResult(documents, checked.claims, checked.findings, errors, checked.validation, summary)
        written = None  # what the overview was made of, when the report was rendered rather than restored
        if not keep:
            def write(staging: Path) -> None:
                nonlocal written
                if not (reused and _restore_report(staging, store.report_parts(scope, _digest([parquet])), summary)):
                    written = write_report(staging, result, reference=reference_table, parquet=parquet, texts=store.texts)

            publish(out_dir, write)
            release_memory()
        store.finish_run(run_id, summary, findings, (scope, None if reused else checked), published=not keep)  # after publishing: history names only reports that exist
        if written is not None:
            _save_report(store, scope, _digest([parquet]), out_dir, summary, written)
        log.info(
            "run %d finished: %d documents, %d claims, %d findings (%d new, %d resolved, %d changed); report %s",
            run_id, summary["documents"], summary["claims"], summary["findings"]["total"],
            len(summary["changes"]["new"]), len(summary["changes"]["resolved"]), len(summary["changes"]["changed"]), summary["report"],
            extra={"event": "run_finished", "run_id": run_id, "documents": summary["documents"], "claims": summary["claims"],
                   "findings": summary["findings"]["total"], "processed": processed, "checks": summary["checks"], "report": summary["report"]},
        )
    return result


def _restore_report(staging: Path, parts, summary: dict) -> bool:
    """Restore the report saved with the cached check result into ``staging``; False (``staging``
    left empty) when there is none that fits, or it is damaged: then the report is written."""
    import shutil

    from .report.reuse import restore_report

    try:
        return restore_report(staging, parts, summary)
    except Exception as exc:  # only a cache: a damaged one costs the rendering, never the run
        log.warning("the saved report could not be restored (%s); writing it", exc, extra={"event": "report_not_restored"})
        for path in staging.iterdir():
            shutil.rmtree(path) if path.is_dir() else path.unlink()
        return False


def _save_report(store, scope: str, content: str, out_dir: Path, summary: dict, written: dict) -> None:
    """Keep the report just published with its check result, for a rerun into another folder."""
    from .report.reuse import NotReusable, saved_parts

    try:
        store.save_report_parts(scope, content, saved_parts(out_dir, summary, written))
    except NotReusable as exc:
        log.info("the report is not kept for reuse: %s", exc, extra={"event": "report_not_saved"})


def _changes(store, run_id: int, previous: dict | None, findings: list[dict]) -> dict:
    """What changed since the previous report. An earlier finding about a document this run did
    not audit (published before --since, or not among today's inputs) is not resolved: it was
    not looked at again; such findings are counted as ``not_rechecked``."""
    from .state.history import finding_changes

    before = store.run_findings(previous["id"]) if previous else []
    gone = {c for f in before for c in f.get("claim_ids") or []} - {c for f in findings for c in f.get("claim_ids") or []}
    return finding_changes(previous, before, findings, unaudited=store.claims_not_in_run(run_id, gone))


def _keep_previous_report(store, run_id, inputs, documents, errors, processed, out_dir) -> AuditResult:
    """No document to audit: leave the report in out_dir and the run history as they are (an empty
    report would replace yesterday's and call every earlier finding resolved)."""
    from .columns import FINDING_COLUMNS

    claims, findings = _claims_table([]), pd.DataFrame(columns=list(FINDING_COLUMNS))
    summary = summarise(inputs, documents, claims, findings, errors)
    summary.update(run_id=run_id, state=str(store.path), processed=processed, report="kept", reason="no documents to audit",
                   previous_report=(Path(out_dir) / "summary.json").is_file())
    store.finish_run(run_id, summary, [], published=False)
    log.info("run %d found no documents to audit; the report in %s is left as it was", run_id, out_dir,
             extra={"event": "run_empty", "run_id": run_id, "processed": processed})
    return AuditResult(documents, claims, findings, errors, [], summary)


def release_memory() -> None:
    """Hand the memory freed by the stage that just ended back to the operating system.

    glibc's malloc keeps freed memory for reuse rather than returning it, so without this
    the process keeps every stage's peak and the next stage's peak lands on top of it (at 4x
    the batch benchmark's documents, 80-100 MB of each stage's peak). ``malloc_trim(0)``
    returns the free pages; it costs a few milliseconds. A no-op where the C library has no
    malloc_trim (not glibc: musl, macOS).
    """
    trim = _malloc_trim()
    if trim is not None:
        trim(0)


def _malloc_trim():
    global _TRIM
    if _TRIM is False:
        import ctypes
        import ctypes.util

        try:
            _TRIM = getattr(ctypes.CDLL(ctypes.util.find_library("c") or None), "malloc_trim", None)
        except OSError:
            _TRIM = None
        if _TRIM is not None:
            _TRIM.argtypes, _TRIM.restype = [ctypes.c_size_t], ctypes.c_int
    return _TRIM


_TRIM = False  # malloc_trim once looked up: the function, or None where there is none


def _code_fingerprint() -> str:
    """The auditor's code and report templates: after an upgrade, checks and report are redone."""
    from .resources import REPORTS_DIR

    package = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for root in (package, REPORTS_DIR):
        for path in sorted([*root.rglob("*.py"), *root.rglob("*.html"), *root.rglob("*.css"), *root.rglob("*.js")]):
            if path.is_file() and "__pycache__" not in path.parts:  # subpackages too, named by relative path
                digest.update(path.relative_to(root.parent).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _digest(value) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:16]


def _load_rules(rules_dir: Path, tolerances: dict | None):
    from .ruleset import load_rules

    return _with_tolerances(load_rules(rules_dir), tolerances)


def _rules_hash(rules_dir: Path, reference, tolerances) -> str:
    """Fingerprint of everything the checks read: rules files, reference data, tolerances."""
    digest = hashlib.sha256(json.dumps(tolerances or {}, sort_keys=True).encode())
    for path in sorted(p for p in rules_dir.rglob("*") if p.is_file()):
        digest.update(path.relative_to(rules_dir).as_posix().encode() + b"\0" + path.read_bytes())
    if reference is not None:
        digest.update(Path(reference).read_bytes())
    return digest.hexdigest()[:16]


def _with_tolerances(rules, tolerances: dict | None):
    """Rules with configured judgement defaults (e.g. approx_tolerance) laid over rules/judgement.yaml."""
    if not tolerances:
        return rules
    defaults = rules.judgement["defaults"]
    unknown = sorted(set(tolerances) - set(defaults))
    if unknown:
        raise AuditorError(f"unknown tolerance '{unknown[0]}' (known: {', '.join(defaults)})")
    return replace(rules, judgement={**rules.judgement, "defaults": {**defaults, **tolerances}})


def _claims_table(records: list[dict]) -> pd.DataFrame:
    from .columns import CLAIM_COLUMNS

    return pd.DataFrame(records) if records else pd.DataFrame(columns=list(CLAIM_COLUMNS))


def _plain_record(record: dict) -> dict:
    """A findings row as plain JSON values (numpy scalars and arrays become Python ones)."""
    return json.loads(json.dumps(record, default=lambda v: v.tolist() if hasattr(v, "tolist") else str(v)))


def summarise(inputs, documents, claims, findings, errors) -> dict:
    return {
        "auditor_version": __version__,
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "inputs": list(inputs),
        "documents": int(len(documents)),
        "claims": int(len(claims)),
        "findings": {
            "total": int(len(findings)),
            "by_type": dict(sorted(Counter(findings["type"]).items())),
            "by_severity": dict(sorted(Counter(findings["severity"]).items())),
        },
        "errors": errors,
    }
