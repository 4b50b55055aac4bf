"""What every result object shares: plain Python values for programs, text for people.

A result of :mod:`analysis.methods` is a frozen dataclass deriving from :class:`Result`, in the
manner of statsmodels' results: plain field names, ``to_dict()`` for ``results.json`` and glue,
``summary()`` for a reader.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from numbers import Integral, Real


def plain(value):
    """Convert numpy / pandas scalars to plain Python values (int, float, str, bool, None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if hasattr(value, "item") and not isinstance(value, (list, tuple, dict, str)):
        try:
            value = value.item()
        except (AttributeError, ValueError):
            pass
    if isinstance(value, bool):
        return value
    if isinstance(value, Integral):
        return int(value)
    if isinstance(value, Real):
        value = float(value)
        return None if math.isnan(value) else value
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    return value


@dataclass(frozen=True)
class Result:
    """Base of the result objects: ``to_dict()`` (plain values) and ``summary()`` (text)."""

    def to_dict(self) -> dict:
        """Every field as a plain Python value (int, float, str, bool, None, list, dict)."""
        return plain(asdict(self))

    def summary(self) -> str:
        """One line a field, ``name: value``; result classes override it with prose."""
        return "\n".join(f"{key}: {value}" for key, value in self.to_dict().items())
