"""PDF documents: one helper renders a template to an A4 PDF with WeasyPrint.

    from wspolpraca.core.pdf import pdf_response, render_pdf

    pdf = render_pdf("offers/pdf/offer.html", {"offer": offer})
    return pdf_response(pdf, f"oferta-{offer.number}.pdf")

A document template extends `core/pdf/base.html` (A4, margins, a running title, page
numbers "page 3 of 5", fonts with Polish letters: DejaVu Sans from the system's
fonts-dejavu-core, then Liberation Sans). What people typed goes through the template's
autoescaping like any page, so markup in it prints as text.

WeasyPrint would fetch any URL a document names; `LocalOnlyFetcher` lets it read the
site's own static files and nothing else, so no document can make the server call out
(or into the internal network).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils.text import get_valid_filename
from weasyprint import HTML
from weasyprint.urls import URLFetcher

STATIC_PREFIX = "static:"


class LocalOnlyFetcher(URLFetcher):
    """Resolves `static:<path>` to the site's static file; refuses every other URL."""

    def fetch(self, url, headers=None):
        if url.startswith(STATIC_PREFIX):
            try:
                path = finders.find(url.removeprefix(STATIC_PREFIX))
            except SuspiciousFileOperation:
                path = None
            if path:
                return super().fetch(Path(path).as_uri(), headers)
        raise ValueError(f"A document may not load {url!r}.")


def render_pdf(template, context=None, *, request=None):
    """The PDF bytes of `template` rendered with `context`."""
    html = render_to_string(template, {"site_url": settings.SITE_URL, **(context or {})}, request)
    return HTML(string=html, url_fetcher=LocalOnlyFetcher()).write_pdf()


def pdf_response(pdf, filename, *, inline=False):
    """An HTTP response that downloads (or, `inline`, shows) the PDF under `filename`."""
    response = HttpResponse(pdf, content_type="application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{get_valid_filename(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
