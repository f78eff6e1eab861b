"""Readable tables of intermediate values: rounded for display, full precision kept in the data."""
from __future__ import annotations

import html
import numbers
from collections.abc import Iterable

import numpy as np

from .validation import check_integer, check_text

__all__ = ["Table", "format_number"]


def format_number(value, digits: int = 4) -> str:
    """A number, a vector or a matrix as short text with ``digits`` decimals (a whole number in [0, 16]).

    ``value``: anything; numbers and arrays of numbers are rounded, text is returned as it is, other
    objects as ``str(value)``. Negative zero prints as 0, so rounding never produces a flickering "-0.0000".
    """
    digits = check_integer("digits", digits, low=0, high=16)
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

    ``rows`` is a list of rows, each a list (or tuple) of one cell per column or a dict keyed by column;
    ``columns`` a non-empty list of headings (strings). Numbers are rounded to ``digits`` decimals (a whole
    number in [0, 16]) for display only; ``table.rows`` keeps what was given. ``title``: a string or None.
    """

    def __init__(self, rows, columns, *, digits: int = 4, title: str | None = None):
        if isinstance(columns, (str, bytes)) or not isinstance(columns, (list, tuple)) or not columns \
                or not all(isinstance(c, str) for c in columns):
            raise ValueError(f"columns must be a non-empty list of headings (strings); got {columns!r}"[:200])
        self.columns = list(columns)
        if isinstance(rows, (str, bytes, dict)) or not isinstance(rows, Iterable):
            raise ValueError(f"rows must be a list of rows (lists or dicts); got {type(rows).__name__}")
        self.rows = []
        for index, row in enumerate(rows):
            if isinstance(row, dict):
                missing = [c for c in self.columns if c not in row]
                if missing:
                    raise ValueError(f"rows[{index}] must have a value for every column; got none for {missing}")
                row = [row[c] for c in self.columns]
            elif not isinstance(row, (list, tuple, np.ndarray)):
                raise ValueError(f"rows[{index}] must be a list of cells or a dict; got {type(row).__name__}")
            if len(row) != len(self.columns):
                raise ValueError(f"rows must have {len(self.columns)} cells each (one per column); "
                                 f"got {len(row)} in rows[{index}]")
            self.rows.append(list(row))
        self.digits = check_integer("digits", digits, low=0, high=16)
        self.title = check_text("title", title, allow_none=True)

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
