"""Align stage: claims -> claims with a story, a group of claims about the same quantity and the
interval each asserts (``stories`` finds stories, ``judge`` the intervals, ``groups`` the groups)."""

from .groups import align_claims

__all__ = ["align_claims"]
