"""Readable tables of intermediate values: rounded for display, full precision kept in the data."""
from __future__ import annotations

import html
import numbers

import numpy as np

__all__ = ["Table", "format_number"]


def format_number(value, digits: int = 4) -> str:
    """A number, a vector or a matrix as short text with ``digits`` significant decimals.

    Negative zero prints as 0, so rounding never produces a flickering "-0.0000".
    """
    if isinstance(value, str):
        return value
    array = np.asarray(value)
    if array.dtype.kind in "biu" and array.ndim == 0:
        return str(int(array))
    if array.dtype.kind == "f" and array.ndim == 0:
        number = float(array)
        text = f"{number:.{digits}f}" if abs(number) >= 10 ** (-digits) or number == 0 else f"{number:.{digits}e}"
        if float(text) == 0:
            text = text.lstrip("-")
        return text
    if array.dtype.kind in "biuf":
        return "[" + ", ".join(format_number(v, digits) for v in array) + "]"
    if isinstance(value, numbers.Number):
        return str(value)
    return str(value)


class Table:
    """Rows of values under column headings, shown as HTML in a notebook and as aligned text.

    ``rows`` is a list of lists (or of dicts keyed by column). Numbers are rounded to ``digits``
    decimals for display only; ``table.rows`` keeps what was given.
    """

    def __init__(self, rows, columns, *, digits: int = 4, title: str | None = None):
        self.columns = list(columns)
        self.rows = [[row[c] for c in self.columns] if isinstance(row, dict) else list(row) for row in rows]
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"each row must have {len(self.columns)} cells (one per column); got {len(row)}")
        self.digits = digits
        self.title = title

    def _cells(self):
        return [[format_number(v, self.digits) for v in row] for row in self.rows]

    def __repr__(self) -> str:
        cells = self._cells()
        widths = [max(len(str(c)), *(len(r[i]) for r in cells)) if cells else len(str(c))
                  for i, c in enumerate(self.columns)]
        lines = [self.title] if self.title else []
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(self.columns, widths)).rstrip())
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(v.ljust(w) for v, w in zip(r, widths)).rstrip() for r in cells]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        head = "".join(f"<th>{html.escape(str(c))}</th>" for c in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in r) + "</tr>" for r in self._cells())
        caption = f"<caption>{html.escape(self.title)}</caption>" if self.title else ""
        return f"<table class='course-table'>{caption}<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
