"""Exports of lists for spreadsheets: CSV and XLSX, streamed, safe to open.

Every app's export goes through here (DESIGN.md "Exports"):

- CSV is UTF-8 with a byte order mark and `;` between cells, which is what a spreadsheet
  program set to Polish expects (there `,` is the decimal separator);
- a cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
  formula (CSV injection), so it gets a leading `'` (OWASP's advice);
- XLSX cells are all written as text, never as formulas;
- the rows are an iterator, never a list: CSV goes out in chunks while the rows are read,
  XLSX is written to a temporary file that is then sent in blocks. Memory stays flat
  whatever the number of rows.

    return exports.csv_response("organizacje.csv", header, rows)
    return exports.xlsx_response("organizacje.xlsx", header, rows, title="Organizacje")
"""

import csv
import tempfile
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
CSV_DELIMITER = ";"
# Rows written per chunk of a streamed CSV: few enough to start at once, enough that the
# server is not writing a packet per row.
CHUNK_ROWS = 500
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def neutralise(value):
    """The cell as text; one that a spreadsheet would run as a formula starts with `'`."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


class _Line:
    """A file-like object for csv.writer that hands back what it is given."""

    def write(self, value):
        return value


def csv_chunks(header, rows, delimiter=CSV_DELIMITER):
    """The CSV text in chunks: the byte order mark and header first, then rows."""
    writer = csv.writer(_Line(), delimiter=delimiter)
    yield "\ufeff" + writer.writerow([neutralise(cell) for cell in header])
    rows = iter(rows)
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield "".join(writer.writerow([neutralise(cell) for cell in row]) for row in chunk)


def _attachment(response, filename):
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(filename, header, rows, delimiter=CSV_DELIMITER):
    """A streamed CSV download of `rows` (an iterable of sequences) under `header`."""
    chunks = (chunk.encode("utf-8") for chunk in csv_chunks(header, rows, delimiter))
    response = StreamingHttpResponse(chunks, content_type="text/csv; charset=utf-8")
    return _attachment(response, filename)


def xlsx_file(header, rows, title="Data"):
    """An XLSX workbook of `rows` in a temporary file, positioned at its start.

    openpyxl's write-only mode keeps only the current row in memory. Every cell is text:
    openpyxl would otherwise store a string beginning with `=` as a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    bold = Font(bold=True)

    def text_cell(value, font=None):
        cell = WriteOnlyCell(sheet, value="" if value is None else str(value))
        cell.data_type = "s"
        if font is not None:
            cell.font = font
        return cell

    sheet.append([text_cell(value, bold) for value in header])
    for row in rows:
        sheet.append([text_cell(value) for value in row])
    output = tempfile.TemporaryFile()
    workbook.save(output)
    output.seek(0)
    return output


def xlsx_response(filename, header, rows, title="Data"):
    """An XLSX download of `rows`, sent from a temporary file in blocks."""
    response = FileResponse(xlsx_file(header, rows, title), content_type=XLSX_CONTENT_TYPE)
    return _attachment(response, filename)
