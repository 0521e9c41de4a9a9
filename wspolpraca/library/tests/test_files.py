"""A study's file is recognised by its content: PDF and the office formats, nothing else."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from wspolpraca.core.uploads import check_upload
from wspolpraca.library.files import STUDY_TYPES

from .factories import PDF_BYTES


def _zip(parts):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        for name, content in parts.items():
            package.writestr(name, content)
    return buffer.getvalue()


def _xlsx():
    from openpyxl import Workbook

    buffer = io.BytesIO()
    book = Workbook()
    book.active["A1"] = "Dzielnica"
    book.save(buffer)
    return buffer.getvalue()


def _kind(content, name="plik"):
    upload = SimpleUploadedFile(name, content)
    return check_upload(upload, types=STUDY_TYPES, max_size=10**6).extension


@pytest.mark.parametrize(
    "content,extension",
    [
        (PDF_BYTES, "pdf"),
        (_zip({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w/>"}), "docx"),
        (_xlsx(), "xlsx"),
        (_zip({"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": ""}), "odt"),
        (
            _zip({"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "c.xml": ""}),
            "ods",
        ),
    ],
)
def test_each_accepted_type_is_recognised_by_its_content(content, extension):
    assert _kind(content) == extension


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00 an executable",
        b"<html><script>alert(1)</script></html>",
        _zip({"evil.exe": "MZ"}),
        _zip({"mimetype": "application/epub+zip"}),
    ],
)
def test_anything_else_is_refused_whatever_its_name(content):
    with pytest.raises(ValidationError):
        _kind(content, name="raport.pdf")


def test_a_file_over_the_size_cap_is_refused():
    upload = SimpleUploadedFile("raport.pdf", PDF_BYTES + b"0" * 2000)
    with pytest.raises(ValidationError):
        check_upload(upload, types=STUDY_TYPES, max_size=1000)
