"""The one PDF helper: A4 documents with Polish letters, text that reads back out."""

import io

import pytest
from django.utils import translation
from pypdf import PdfReader

from wspolpraca.core.pdf import LocalOnlyFetcher, pdf_response, render_pdf

POLISH = "Zażółć gęślą jaźń — ZAŻÓŁĆ GĘŚLĄ JAŹŃ"


def read(pdf):
    reader = PdfReader(io.BytesIO(pdf))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_polish_letters_read_back_out_of_the_pdf():
    _reader, text = read(render_pdf("core/pdf/sample.html", {"title": "Oferta", "text": POLISH}))
    assert POLISH in text


def test_pages_are_a4_and_numbered():
    with translation.override("pl"):
        reader, text = read(render_pdf("core/pdf/sample.html", {"title": "Oferta", "text": "x"}))
    width, height = (float(v) for v in reader.pages[0].mediabox[2:])
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)
    assert "Strona 1 z 1" in text


def test_the_fonts_have_polish_letters_and_are_embedded():
    reader, _text = read(render_pdf("core/pdf/sample.html", {"title": "T", "text": POLISH}))
    fonts = {
        str(font["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
        for font in [font.get_object()]
    }
    # Embedded as subsets ("/ABCDEF+DejaVu-Sans"), so the letters print on any computer.
    assert any(name.endswith("+DejaVu-Sans") for name in fonts), fonts


def test_markup_typed_by_a_person_prints_as_text():
    script = '<script>alert("x")</script><b>bold</b>'
    _reader, text = read(render_pdf("core/pdf/sample.html", {"title": "T", "text": script}))
    assert '<script>alert("x")</script>' in text


@pytest.mark.parametrize(
    "url", ["http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "static:../../x"]
)
def test_a_document_cannot_load_anything_but_the_sites_static_files(url):
    with pytest.raises(ValueError):
        LocalOnlyFetcher().fetch(url)


def test_the_sites_own_static_files_can_be_used():
    response = LocalOnlyFetcher().fetch("static:core/site.css")
    assert b"--brand" in response.read()
    response.close()


def test_a_document_with_a_remote_image_is_still_made_without_it():
    pdf = render_pdf(
        "core/pdf/sample.html", {"title": "T", "text": "x", "image": "http://example.org/a.png"}
    )
    assert pdf.startswith(b"%PDF-")


def test_the_response_downloads_under_a_safe_name():
    response = pdf_response(b"%PDF-1.7", 'oferta "1"/../x.pdf')
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('attachment; filename="oferta')
    assert disposition.count('"') == 2 and "/" not in disposition
