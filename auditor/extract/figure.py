"""The records passed between the extract modules: a Figure found in a sentence and a raw NumberReading phrase."""

from __future__ import annotations

from dataclasses import dataclass

from .units import Unit

# Bounds that keep extraction linear in the text, however long a sentence or a list of numbers is:
# a look-behind for words before a figure reads at most LOOKBEHIND characters (the longest phrase it
# looks for is a few words), and a figure looks back at most LOOKBACK_FIGURES figures for the one
# it continues or restates.
LOOKBEHIND = 120
LOOKBACK_FIGURES = 16


@dataclass(frozen=True)
class Figure:
    """A figure found in a sentence; offsets are relative to the sentence."""

    start: int
    end: int
    value: float
    lower: float | None
    upper: float | None
    qualifier: str
    change: str | None
    unit: str
    kind: str  # "count", "money", "percent", "measure"
    counted: str | None = None
    metric: str | None = None
    implicit: bool = False  # a count of one read from a person phrase ("a man was killed"), no number
    rules: tuple[str, ...] = ()  # ids of the decisions that made it (the claim's extracted_by)

    def by(self, *ids: str) -> "Figure":
        """This figure with more decision ids (each once, in the order they were taken)."""
        new = object.__new__(Figure)  # a copy without dataclasses.replace, which costs a field walk per call
        new.__dict__.update(self.__dict__)
        object.__setattr__(new, "rules", self.rules + tuple(i for i in ids if i not in self.rules))
        return new


@dataclass(frozen=True)
class NumberReading:
    start: int  # including a currency symbol or sign
    num_start: int
    end: int  # after the unit when there is one
    value: float
    unit: Unit | None
    plain_int: bool  # written as digits without separators or decimals ("200", "2019")
    has_scale: bool
    rules: tuple[str, ...] = ()  # ids of the decisions that read it ("number.digits", "unit.currency_before")
    raw_end: int = -1  # where the number itself ends, read with "m" as million (-1: not known)
