"""Images of text: a photographed notice, a scanned letter saved as PNG, JPEG, TIFF (a page per
frame), WebP or GIF. Each page is recognised by OCR; an image file has no text of its own."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SkipFile
from .extracted import Extracted, OcrPage
from .layout import joined_pages, laid_out_page
from .rasters import frame, frame_count, open_image

if TYPE_CHECKING:
    from .ocr_cache import Recogniser


def read_image(data: bytes, recogniser: Recogniser | None) -> Extracted:
    """The recognised text of every page of the image file ``data``, the offset where each page
    starts, and which pages OCR read; ``SkipFile`` when OCR cannot run or the image cannot be read."""
    image = open_image(data)  # a broken or oversized image is named as such, OCR or not
    if recogniser is None or recogniser.reason:
        raise SkipFile(f"an image: {recogniser.reason if recogniser else 'OCR is not asked for'}")
    texts, ocr, warnings = [], [], []
    for number in range(1, frame_count(image) + 1):
        # A page kept from an earlier build is not decoded again.
        page = recogniser.page(number, lambda number=number: frame(image, number - 1))
        if page.failed:
            warnings.append(f"page {number}: {page.failed}")
        else:
            ocr.append(OcrPage(number, page.confidence))
        texts.append(page.text.strip())
    text, pages = joined_pages([laid_out_page(page) for page in texts])
    return Extracted(text, pages=pages, ocr=ocr, warnings=warnings)
