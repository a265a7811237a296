"""The one door to quantulum3: imported here only, its side effects contained.

quantulum3 calls ``logging.basicConfig`` (on import paths and on every ``parse``), which
would give the host application's root logger a handler; we save and restore the root
logger's handlers and level around both. Its pickled classifier does not load with our
scikit-learn, so the rule-based disambiguation is used (``USE_CLF = False``). Results
come back as plain dicts at once, so no quantulum3 object leaks into the pipeline.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from functools import lru_cache
from importlib.metadata import version

QUANTULUM_VERSION = version("quantulum3")


@contextmanager
def _root_logging_preserved():
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    try:
        yield
    finally:
        root.handlers[:] = handlers
        root.setLevel(level)


@lru_cache(maxsize=1)
def _parser():
    with _root_logging_preserved():
        import quantulum3.classifier
        from quantulum3 import parser

        quantulum3.classifier.USE_CLF = False
    return parser


def warm_up() -> None:
    """Load quantulum3's unit tables now (about 4 s), so the first real parse is fast."""
    parse("It weighs 5 kg.")


def parse(text: str) -> list[dict]:
    """quantulum3's quantities in ``text``: start, end, surface, value, unit, entity."""
    parser = _parser()
    with _root_logging_preserved():
        quantities = parser.parse(text)
    return [
        {
            "start": q.span[0],
            "end": q.span[1],
            "surface": q.surface,
            "value": float(q.value),
            "unit": q.unit.name,
            "entity": q.unit.entity.name,
        }
        for q in quantities
    ]
