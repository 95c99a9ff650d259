"""Files of the archive -> ``Document``: text, title and metadata, whatever the file's format.

``discover`` (``discovery``) finds the files under the documents directory; ``load_all``
(``loading``) reads one of them (and its sidecar, ``<file>.meta.yaml``, ``.meta.yml`` or
``.meta.json``) into its documents (``document``): its own and, for a file that holds others,
those it holds, or raises ``SkipFile`` (``errors``) with the reason; ``load`` gives the file's
own. ``formats`` names the formats by their file names and their readers. This package knows
nothing of the index or the web.

- readers, one per format, each returning an ``Extracted`` (``extracted``): ``text``,
  ``markdown``, ``html`` (the article's text from ``article``), ``pdf`` (pages laid out in
  paragraphs by ``layout``), ``word`` (.docx), ``opendocument`` (.odt), ``slides`` (.pptx,
  .odp), ``rtf``, ``epub``, ``tables`` (.csv, .tsv; ``workbooks``: .xlsx, .ods), ``package``
  (ZIP packages, opened safely), ``images``
- containers (``members``: what they hold, within their limits): ``mail`` (.eml; ``mbox``,
  ``outlook`` for .msg, ``mailtext`` for headers and bodies in any charset), ``bundles`` (.zip,
  .tar; ``unpacking`` its compression, bounded), ``webarchive`` (.warc, .wacz; ``warcrecords``, ``warcstream``)
- OCR of scans and images: ``rasters`` (page images, within bounds), ``ocr`` (Tesseract),
  ``ocr_cache`` (recognised pages kept by file hash, and the ``Recogniser`` a reader asks)
- metadata: ``sidecar``, ``yamlmeta`` (YAML read key by key when it is broken), ``metadata``
  (normalised, the sidecar first), ``dates`` (at their own precision)
- ``encoding``: bytes to text in whatever encoding they are; ``language``: language labels;
  ``script``: how much of a text is in each Chinese script
"""

from __future__ import annotations

from pathlib import Path

from .discovery import Candidate, discover, document_id
from .document import Document, Parent, Recognised, Within
from .errors import SkipFile
from .extracted import OcrPage
from .formats import CONTAINER_READERS, FORMATS, PICTURED_FORMATS, file_format, member_bytes
from .language import Language
from .loading import file_hash, load_all
from .members import Limits
from .ocr import OcrSettings
from .sidecar import SIDECAR_SUFFIXES

__all__ = [
    "CONTAINER_READERS",
    "FORMATS",
    "PICTURED_FORMATS",
    "SIDECAR_SUFFIXES",
    "Candidate",
    "Document",
    "Language",
    "Limits",
    "OcrPage",
    "OcrSettings",
    "Parent",
    "Recognised",
    "SkipFile",
    "Within",
    "discover",
    "document_id",
    "file_format",
    "file_hash",
    "load",
    "load_all",
    "member_bytes",
]


def load(
    path: Path | str, relative: str, max_bytes: int, ocr: OcrSettings | None = None, limits: Limits | None = None
) -> Document:
    """Read the file at ``path`` into a ``Document``, or raise ``SkipFile`` saying why not: the
    file's own document (a container's, without what it holds; see ``load_all``). Scans and
    images are recognised with ``ocr`` (None: they are not, and an image is skipped)."""
    return next(load_all(path, relative, max_bytes, ocr, limits, members=False))
