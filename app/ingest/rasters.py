"""Page images: a PDF page rendered (pypdfium2, PDFium's own renderer) and the frames of an image
file (Pillow), for OCR and for the page a reader checks the recognised text against.

Both are hostile input: an image's size is read from its header before any pixel is decoded and
refused past ``MAX_PIXELS``; a PDF page is rendered at most that large (its resolution lowered to
fit); an image file gives at most ``MAX_FRAMES`` pages. PDFium is not safe to call from two
threads at once, and a server's threads may render pages together, so one lock holds it.
"""

from __future__ import annotations

import io
import math
import threading
import warnings

from .errors import SkipFile

# A page of A3 at 300 dpi is 17 million pixels; a photo from a phone 12 to 50 million.
MAX_PIXELS = 60_000_000
# Pages of a multi-page TIFF (or frames of a GIF) read at most.
MAX_FRAMES = 500
# The image formats read, by the name Pillow gives them.
IMAGE_FORMATS = ("PNG", "JPEG", "MPO", "TIFF", "WEBP", "GIF")
_PDFIUM = threading.Lock()


def _pillow():
    """Pillow's Image, with its own bomb check turned into ours (a ``SkipFile``, not a warning)."""
    from PIL import Image

    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    return Image


def open_image(data: bytes):
    """The image file ``data`` opened (pixels not yet decoded), or ``SkipFile`` saying why not."""
    image_module = _pillow()
    from PIL import UnidentifiedImageError

    try:
        # Pillow warns of a large image (the size is checked below, with its figures) and of
        # damaged metadata (the pixels may still read): neither is for the build's output.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image = image_module.open(io.BytesIO(data))
    except image_module.DecompressionBombError:
        raise SkipFile(f"image larger than {MAX_PIXELS // 1_000_000} million pixels: not read") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise SkipFile(f"unreadable image: {error}") from None
    if image.format not in IMAGE_FORMATS:
        raise SkipFile(f"unreadable image: {image.format} images are not read")
    _check_size(image)
    return image


def _check_size(image) -> None:
    """``SkipFile`` when ``image`` (its header read, its pixels not) is past ``MAX_PIXELS``."""
    width, height = image.size
    if width * height > MAX_PIXELS:
        raise SkipFile(f"image larger than {MAX_PIXELS // 1_000_000} million pixels ({width}×{height}): not read")


def frame_count(image) -> int:
    """How many pages the opened image file ``image`` has (a TIFF's pages; an animation's frames
    are one picture moving, not pages), at most ``MAX_FRAMES``."""
    return min(getattr(image, "n_frames", 1), MAX_FRAMES) if image.format == "TIFF" else 1


def frame(image, number: int):
    """Page ``number`` (from 0) of the opened image file ``image``, decoded as RGB or greyscale
    and turned the way up its camera says; ``SkipFile`` when it cannot be decoded. Only this
    page's pixels are decoded (a TIFF is sought to it)."""
    from PIL import ImageOps

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            image.seek(number)
            _check_size(image)  # each page of a TIFF has a size of its own
            decoded = image.convert("L" if image.mode in ("1", "L", "I;16", "I") else "RGB")
            # A phone stores a photo as its sensor saw it and says how to turn it (EXIF).
            return ImageOps.exif_transpose(decoded) if number == 0 and image.getexif() else decoded
    except (OSError, ValueError, EOFError) as error:
        raise SkipFile(f"unreadable image: page {number + 1}: {error}") from None


def pdf_page_image(data: bytes, index: int, dpi: int):
    """Page ``index`` (from 0) of the PDF ``data`` rendered at ``dpi`` (lower where the page
    would be past ``MAX_PIXELS``), as a Pillow image; ``SkipFile`` when it cannot be rendered."""
    import pypdfium2

    with _PDFIUM:
        try:
            document = pypdfium2.PdfDocument(data)
            try:
                page = document[index]
                width, height = page.get_size()  # points
                scale = dpi / 72
                if width * height * scale * scale > MAX_PIXELS:
                    scale = math.sqrt(MAX_PIXELS / (width * height))
                image = page.render(scale=scale, grayscale=True).to_pil()
                page.close()
            finally:
                document.close()
        except (pypdfium2.PdfiumError, IndexError, ValueError) as error:
            raise SkipFile(f"PDF page {index + 1} cannot be rendered: {error}") from None
    return image


def png(image, max_side: int) -> bytes:
    """``image`` as PNG bytes, scaled down to at most ``max_side`` pixels on its longer side."""
    if max(image.size) > max_side:
        image = image.copy()
        image.thumbnail((max_side, max_side))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False)
    return out.getvalue()
