"""Reading labelled tables (CSV or Excel) for training and evaluation.

CSV files are read with the :mod:`csv` module so quoted multi-line texts survive; Excel files
are read with openpyxl (first worksheet, first row is the header). Every problem with the input
raises :class:`DataError` with a message meant for a person, never a bare traceback.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from pathlib import Path

__all__ = ["DataError", "read_table"]


class DataError(ValueError):
    """The input file cannot be used: missing, unreadable, empty or lacking a column."""


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    csv.field_size_limit(1 << 27)
    last_error: Exception | None = None
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with path.open(encoding=encoding, newline="") as fh:
                reader = csv.reader(fh)
                header = next(reader, None)
                if header is None:
                    raise DataError(f"{path}: the file is empty")
                return [h.strip() for h in header], [row for row in reader]
        except UnicodeDecodeError as exc:
            last_error = exc
    raise DataError(f"{path}: cannot decode the file as UTF-8 or GB18030 ({last_error})")


def _read_xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - openpyxl is a declared dependency
        raise DataError("reading Excel files needs openpyxl") from exc
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds of error for broken files
        raise DataError(f"{path}: cannot open the workbook ({exc})") from exc
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        first = next(rows, None)
        if first is None:
            raise DataError(f"{path}: the first worksheet is empty")
        header = [_cell(v).strip() for v in first]
        body = [[_cell(v) for v in row] for row in rows]
    finally:
        workbook.close()
    return header, body


def read_table(path: str | Path, columns: Sequence[str]) -> list[dict[str, str]]:
    """Read ``path`` and return one dict per data row holding only ``columns``.

    Raises :class:`DataError` when the file does not exist, has an unknown suffix, cannot be
    decoded, has no data rows, or lacks one of ``columns``.
    """
    p = Path(path)
    if not p.is_file():
        raise DataError(f"{p}: no such file")
    suffix = p.suffix.lower()
    if suffix in (".csv", ".txt", ".tsv"):
        header, body = _read_csv(p)
    elif suffix in (".xlsx", ".xlsm"):
        header, body = _read_xlsx(p)
    else:
        raise DataError(f"{p}: unsupported file type {suffix!r} (use .csv or .xlsx)")
    index = {name: i for i, name in enumerate(header) if name}
    missing = [c for c in columns if c not in index]
    if missing:
        raise DataError(
            f"{p}: missing column(s) {', '.join(missing)}; the file has: {', '.join(index) or '(none)'}"
        )
    out: list[dict[str, str]] = []
    for row in body:
        if not any(cell.strip() for cell in row):
            continue
        out.append({c: (row[index[c]] if index[c] < len(row) else "") for c in columns})
    if not out:
        raise DataError(f"{p}: the file has a header but no data rows")
    return out
