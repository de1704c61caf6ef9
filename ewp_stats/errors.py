"""Exceptions raised by ewp_stats.

Every error says *what* is wrong, *where* (file, row, column, argument) and
*what was expected*, so a user can fix the input without reading the code.
"""

from __future__ import annotations

__all__ = [
    "EwpStatsError",
    "DataValidationError",
    "ChecksumError",
    "UnknownDatasetError",
    "InputError",
]


class EwpStatsError(Exception):
    """Base class of all errors raised by ewp_stats."""


class DataValidationError(EwpStatsError, ValueError):
    """A data file or frame breaks its schema.

    Parameters
    ----------
    message
        What is wrong and what was expected.
    file
        The file (or dataset name) where the problem was found.
    row
        The 1-based line of the file (the header is line 1, so the first data row is line 2),
        or, for a frame not read from a file, the index label of the offending row. Readers of
        raw files, the pipeline and :func:`ewp_stats.data.load` all count lines this way; an
        integer is shown as ``line N``, a label as ``row 'label'``.
    column
        The column of the offending value.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: object | None = None,
        column: str | None = None,
    ) -> None:
        self.file, self.row, self.column = file, row, column
        parts = []
        if file is not None:
            parts.append(f"file {file!r}")
        if row is not None:
            is_line = isinstance(row, int) and not isinstance(row, bool)
            parts.append(f"line {row}" if is_line else f"row {row!r}")
        if column is not None:
            parts.append(f"column {column!r}")
        where = ", ".join(parts)
        super().__init__(f"{where}: {message}" if where else message)


class ChecksumError(EwpStatsError, ValueError):
    """A raw file's sha256 differs from the one recorded in the sources manifest."""


class UnknownDatasetError(EwpStatsError, KeyError):
    """A dataset name that the package does not ship."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else ""


class InputError(EwpStatsError, ValueError):
    """Invalid arguments to an estimator or analysis function."""
