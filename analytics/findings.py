"""Data-quality findings and the one error type for unreadable input.

Findings are named, serialisable objects (after OpenEEmeter's warnings and
frictionless' error catalogue): a stable ``code`` (the i18n key is
``f"warning.{code}"`` / ``f"error.{code}"``), a count and evidence. No English
text lives here; the UI and the CLI render the code with the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class DataWarning:
    """A data-quality finding that does not stop the analysis.

    Attributes
    ----------
    code : str
        Stable identifier, e.g. ``"import.duplicates"``.
    count : int
        Rows or intervals affected.
    first_rows : tuple of int
        Up to five 1-based source rows (data rows as a spreadsheet shows them,
        header = row 1) that show the problem; empty when not row-bound.
    params : mapping
        Values for the message template (e.g. ``{"unit": "kW"}``).
    """

    code: str
    count: int = 0
    first_rows: tuple[int, ...] = ()
    params: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "count": int(self.count),
            "first_rows": list(self.first_rows),
            "params": {k: _plain(v) for k, v in self.params.items()},
        }


class InputError(ValueError):
    """Unreadable input. Carries where (file, 1-based row, column) and what was expected.

    ``code`` is stable (i18n key ``f"error.{code}"``); ``params`` fill the template.
    ``str(err)`` is a one-line English fallback for logs and the CLI.
    """

    def __init__(
        self,
        code: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
        expected: str | None = None,
        **params: Any,
    ) -> None:
        self.code = code
        self.file = file
        self.row = row
        self.column = column
        self.expected = expected
        self.params = params
        super().__init__(self._line())

    def _line(self) -> str:
        where = ", ".join(
            p
            for p in (
                f"file {self.file}" if self.file else "",
                f"row {self.row}" if self.row is not None else "",
                f"column {self.column!r}" if self.column is not None else "",
            )
            if p
        )
        extra = ", ".join(f"{k}={v}" for k, v in self.params.items())
        parts = [self.code]
        if where:
            parts.append(where)
        if self.expected:
            parts.append(f"expected {self.expected}")
        if extra:
            parts.append(extra)
        return ": ".join(parts[:1]) + (" (" + "; ".join(parts[1:]) + ")" if parts[1:] else "")

    def context(self) -> dict[str, Any]:
        """All template parameters, the location included."""
        return {
            "file": self.file or "",
            "row": "" if self.row is None else self.row,
            "column": self.column or "",
            "expected": self.expected or "",
            **self.params,
        }


def _plain(v: Any) -> Any:
    if hasattr(v, "item"):
        return v.item()
    if isinstance(v, (list, tuple)):
        return [_plain(x) for x in v]
    return v if isinstance(v, (int, float, str, bool, type(None))) else str(v)
