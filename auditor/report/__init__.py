"""Report stage: findings and claims -> the HTML audit (``html``, ``charts``), the exports
(``exports``), put in place whole (``publish``)."""

from .html import write_report

__all__ = ["write_report"]
