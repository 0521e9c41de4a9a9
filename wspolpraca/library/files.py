"""The kinds of files a study may be: PDF, and the office formats reports and data come in
(DOCX, ODT, XLSX, ODS). Each is recognised by its content, as core.uploads requires; the
office formats are ZIP packages, told apart by the part that only that format has.

These belong in core.uploads once another app needs them.
"""

import zipfile

from wspolpraca.core.uploads import PDF, FileType

# A package with more parts than this is not a document somebody wrote.
MAX_PARTS = 10_000


def _zip_names(file):
    try:
        with zipfile.ZipFile(file) as package:
            names = package.namelist()
            if len(names) > MAX_PARTS:
                return None
            mimetype = None
            if "mimetype" in names:
                mimetype = package.read("mimetype")[:100].decode("ascii", "replace").strip()
            return set(names), mimetype
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, RuntimeError):
        return None


def _ooxml(main_part):
    def matches(file):
        found = _zip_names(file)
        return found is not None and "[Content_Types].xml" in found[0] and main_part in found[0]

    return matches


def _opendocument(mimetype):
    def matches(file):
        found = _zip_names(file)
        return found is not None and found[1] == mimetype

    return matches


DOCX = FileType(
    "DOCX",
    "docx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    _ooxml("word/document.xml"),
)
XLSX = FileType(
    "XLSX",
    "xlsx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    _ooxml("xl/workbook.xml"),
)
ODT = FileType(
    "ODT",
    "odt",
    "application/vnd.oasis.opendocument.text",
    _opendocument("application/vnd.oasis.opendocument.text"),
)
ODS = FileType(
    "ODS",
    "ods",
    "application/vnd.oasis.opendocument.spreadsheet",
    _opendocument("application/vnd.oasis.opendocument.spreadsheet"),
)

STUDY_TYPES = (PDF, DOCX, ODT, XLSX, ODS)
MIME_BY_EXTENSION = {file_type.extension: file_type.mime for file_type in STUDY_TYPES}
