# archive-search: serves the documents mounted at /srv/archive/documents (the sample documents
# when nothing is mounted), bringing the index up to date with them each time it starts.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    ARCHIVE_DOCUMENTS=/srv/archive/documents \
    ARCHIVE_INDEX=/srv/archive/index \
    ARCHIVE_HOST=0.0.0.0 \
    ARCHIVE_PORT=8000

WORKDIR /srv/archive
# Tesseract and its Traditional Chinese, Simplified Chinese and English models read scans and
# images (OCR). Debian's stable release is the pin: its fixes keep the same names.
# hadolint ignore=DL3008
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr tesseract-ocr-chi-tra tesseract-ocr-chi-sim \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /srv/archive --shell /usr/sbin/nologin archive

COPY pyproject.toml README.md ./
COPY app ./app
RUN pip install --no-cache-dir . && rm -rf build ./*.egg-info

COPY --chown=archive:archive documents ./documents
RUN install -d -o archive -g archive index
USER 10001:10001
# The sample documents' index, so that a container without volumes starts at once; a named
# volume mounted at /srv/archive/index starts as a copy of it. Exit status 1 means some files
# were skipped (and named); the rest are indexed.
RUN archive-search index || [ "$?" -eq 1 ]

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
# Update the index from the documents (only what changed since the last start), then serve.
CMD ["archive-search", "serve", "--host", "0.0.0.0", "--update"]
