"""One cell-cleaning rule for every CSV and XLSX file the app writes.

Both kinds open in Excel or LibreOffice, so both get the same guard: text that starts
like a formula (``=``, ``+``, ``-``, ``@``, a tab or a carriage return) is written as text
with a leading apostrophe, so a strategy titled ``=HYPERLINK(...)`` never becomes a live
link; characters an XLSX file cannot hold (control characters such as U+0001, which
openpyxl refuses with an exception) are dropped; and no cell is longer than Excel reads."""

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

#: Excel refuses longer cell texts.
EXCEL_CELL_LIMIT = 32_767
#: What makes Excel or LibreOffice read a cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """The value as a spreadsheet should receive it; numbers, dates and None unchanged."""
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value[:1] in FORMULA_STARTS:
        value = "'" + value
    return value[:EXCEL_CELL_LIMIT]


def safe_row(values) -> list:
    return [safe_cell(value) for value in values]
