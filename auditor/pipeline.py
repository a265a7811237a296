"""The library API: each stage in order, a named result at the end.

    result = audit(["examples/"])              # tables in memory
    run(["examples/"], out_dir="report/")      # and the report on disk

The CLI is a thin layer over these two functions.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd

from . import __version__
from .errors import AuditorError


@dataclass
class AuditResult:
    """Everything a run produced: the tables between stages and the run summary."""

    documents: pd.DataFrame
    claims: pd.DataFrame
    findings: pd.DataFrame
    errors: list[dict]
    validation: list[dict]
    summary: dict


def extract(inputs: list[str]) -> tuple[pd.DataFrame, list[dict]]:
    """Ingest and extract only: the claims table and the inputs that could not be read."""
    from .extract import extract_claims
    from .ingest import iter_documents

    errors: list[dict] = []
    claims = extract_claims(iter_documents(inputs, errors))
    return claims, errors


def audit(inputs: list[str], rules_dir: str | Path | None = None, reference: str | Path | None = None) -> AuditResult:
    """Run every stage in memory: ingest -> extract -> align -> check."""
    from .align import align_claims
    from .check import check_claims
    from .extract import extract_claims
    from .ingest import read_documents
    from .rules import load_rules

    rules = load_rules(rules_dir)  # first: a broken rules file stops the run before any work
    if reference is not None and not Path(reference).is_file():
        raise AuditorError(f"reference file not found: {reference}")
    documents, errors = read_documents(inputs)
    claims = extract_claims(documents.to_dict("records"))
    checked = check_claims(align_claims(claims, rules), rules)
    summary = summarise(inputs, documents, checked.claims, checked.findings, errors)
    return AuditResult(documents, checked.claims, checked.findings, errors, checked.validation, summary)


def run(inputs: list[str], out_dir: str | Path, rules_dir=None, reference=None) -> AuditResult:
    """Audit and write the report; files appear in ``out_dir`` only once all are written."""
    from .report import write_report

    result = audit(inputs, rules_dir, reference)
    out_dir = Path(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".auditor-", dir=out_dir.parent))
    try:
        write_report(staging, result)
        _replace_dir(staging, out_dir)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return result


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


def _replace_dir(staging: Path, out_dir: Path) -> None:
    """Move the finished files into out_dir; each file lands with an atomic rename."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for item in sorted(staging.iterdir()):
        item.replace(out_dir / item.name)
