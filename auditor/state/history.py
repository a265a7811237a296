"""Run history: what changed in the findings since the previous run.

A finding's id hashes its check and claim ids, so a finding that gains a source
gets a new id. To tell "changed" from "new + resolved", findings are matched on
what they are about: (type, check, story, metric).
"""

from __future__ import annotations


def finding_changes(previous_run: dict | None, previous: list[dict], current: list[dict], unaudited=frozenset()) -> dict:
    """``{"previous_run", "new": [finding_id], "resolved": [finding], "changed": [...], "not_rechecked": n}``.

    With no previous run every finding is new. ``changed`` entries carry the current
    finding plus ``previous_finding_id`` and ``previous_message``. A previous finding
    that names a claim in ``unaudited`` (a document this run did not audit) was not
    looked at again: it is neither resolved nor changed, only counted in ``not_rechecked``.
    """
    before = {f["finding_id"]: f for f in previous}
    now = {f["finding_id"]: f for f in current}
    stale = {fid for fid, f in before.items() if fid not in now and any(c in unaudited for c in f.get("claim_ids") or [])}
    gone = [f for fid, f in before.items() if fid not in now and fid not in stale]
    added = [f for fid, f in now.items() if fid not in before]
    gone_by_subject: dict[tuple, dict] = {}
    for f in gone:
        gone_by_subject.setdefault(_subject(f), f)
    new, changed = [], []
    for f in added:
        old = gone_by_subject.pop(_subject(f), None)
        if old is None:
            new.append(f["finding_id"])
        else:
            changed.append({**f, "previous_finding_id": old["finding_id"], "previous_message": old.get("message")})
    resolved = [f for f in gone if gone_by_subject.get(_subject(f)) is f]
    run = None if previous_run is None else {"id": previous_run["id"], "finished_at": previous_run["finished_at"]}
    return {"previous_run": run, "new": new, "resolved": resolved, "changed": changed, "not_rechecked": len(stale)}


def _subject(finding: dict) -> tuple:
    return tuple(str(finding.get(key)) for key in ("type", "check", "story", "metric"))
