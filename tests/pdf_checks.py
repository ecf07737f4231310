"""Reading a PDF the way an archive and a reader would: its text, and whether it is the
PDF/A it says it is (XMP identification, language, title, tags, bookmarks, fonts)."""

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader


@dataclass
class ReadPdf:
    text: str
    xmp: str
    reader: PdfReader

    @property
    def bookmarks(self) -> list[str]:
        def walk(items):
            for item in items:
                if isinstance(item, list):
                    yield from walk(item)
                else:
                    yield item.title

        return list(walk(self.reader.outline))


def read(data: bytes) -> ReadPdf:
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")
    return ReadPdf(text, xmp, reader)


def assert_pdf_a(document: ReadPdf, *, title: str, language: str = "pl") -> None:
    """PDF/A-3 level A: identified in XMP, tagged, with its language and title, every
    font embedded."""
    assert 'pdfaid:part="3"' in document.xmp and 'pdfaid:conformance="A"' in document.xmp
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in document.xmp
    root = document.reader.trailer["/Root"]
    assert root["/Lang"] == language
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]
    for page in document.reader.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            font = font.get_object()
            descendant = font.get("/DescendantFonts")
            descriptor = (descendant[0].get_object() if descendant else font)["/FontDescriptor"]
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))


def page_numbers(document: ReadPdf) -> list[str]:
    return re.findall(r"\b(\d+) / (\d+)\b", document.text)
