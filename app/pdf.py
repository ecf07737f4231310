"""PDF/A documents made from HTML, for ministries and archives (WeasyPrint over Pango).

Every PDF is PDF/A-3a: fonts embedded (DejaVu, which covers Polish, Czech, Slovak and
Hungarian letters), a tagged structure for assistive technology, the document's title,
author, language and description in its XMP metadata, and bookmarks from its headings.
Page numbers and the contents' page references come from the print stylesheet
(``templates/pdf/_print.css``)."""

from weasyprint import HTML
from weasyprint.urls import URLFetcher

#: Archival with a tagged, accessible structure (the "a" level of PDF/A-3).
PDF_VARIANT = "pdf/a-3a"
CONTENT_TYPE = "application/pdf"
#: The author named in every PDF's metadata.
AUTHOR = "Warsztat"


def render(html: str, *, base_url: str | None = None) -> bytes:
    """The PDF/A of an HTML document. Its ``<html lang>``, ``<title>`` and ``<meta
    name="author">``/``"description"`` become the PDF's metadata; nothing is fetched
    from outside ``base_url``."""
    # The documents carry their stylesheet inline and no pictures: a picture in a text
    # (Markdown) must never make the server fetch anything, so no protocol is allowed.
    fetcher = URLFetcher(allowed_protocols=())
    return HTML(string=html, base_url=base_url, url_fetcher=fetcher).write_pdf(
        pdf_variant=PDF_VARIANT, pdf_tags=True
    )
