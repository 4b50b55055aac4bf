"""One problem found in a data file: where it is, what was there, what was expected."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

ERROR, WARNING = "error", "warning"


@dataclass(frozen=True)
class Problem:
    """A problem in ``file`` at ``line`` (as in the file, header = line 1) and ``column``.

    ``line`` is None for whole-file problems (missing, empty, not UTF-8 everywhere);
    ``column`` is None for whole-row or whole-file problems.
    """

    file: str
    line: int | None
    column: str | None
    value: Any
    expected: str
    severity: str = ERROR

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        column = f" column {self.column}:" if self.column else ""
        value = "" if self.value is None else f" value {_show(self.value)}:"
        return f"{where}: {self.severity}:{column}{value} expected {self.expected}"

    def to_dict(self) -> dict:
        out = asdict(self)
        out["value"] = None if self.value is None else str(self.value)
        return out


def _show(value: Any, limit: int = 60) -> str:
    text = repr(str(value))
    return text if len(text) <= limit else text[: limit - 4] + "...'"
