"""Log output for the CLI: plain text lines or one JSON object a line, on stderr.

Library modules only call ``logging.getLogger(__name__)`` and pass machine-readable
fields with ``extra={"event": ..., ...}``; only the CLI calls :func:`configure_logging`.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import datetime, timezone

# attributes every LogRecord has; anything else came in through ``extra``
_STANDARD = set(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message", "asctime", "taskName"}


class JsonFormatter(logging.Formatter):
    """``{"time", "level", "logger", "message", "event", ...extra fields}`` on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, timezone.utc).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update({k: v for k, v in vars(record).items() if k not in _STANDARD})
        if record.exc_info:
            entry["traceback"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def configure_logging(fmt: str = "text", level: int = logging.INFO) -> None:
    """Send the ``auditor`` loggers to stderr in ``fmt``; calling again replaces the handler."""
    logger = logging.getLogger("auditor")
    for handler in [h for h in logger.handlers if getattr(h, "auditor_cli", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)
    handler.auditor_cli = True
    handler.setFormatter(JsonFormatter() if fmt == "json" else logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False  # a library may configure the root logger; do not print twice
