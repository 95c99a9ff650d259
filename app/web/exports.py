"""A search's whole list of results: ``/api/export`` (CSV, JSON Lines, RIS) and ``/feed`` (Atom).

An export is streamed: the matches are found and counted before the answer starts (a bad
query, a search matching more than ``EXPORT_MAX`` or a client with all its searches running is
refused then, as the search is), and the rows are written as they are made. While it is
written the export holds one of the client's search slots and the generation it reads; both
are let go when the answer ends, whether the client read it all or went away.
"""

from __future__ import annotations

import contextlib
import re
from urllib.parse import quote

from flask import Blueprint, Response, current_app, jsonify, request, stream_with_context, url_for

from ..export_formats import FeedLinks, atom_feed, export_format, joined
from ..index.readers import IndexMissing
from ..messages import MESSAGES
from ..query.parse import QueryError
from ..render import snippet_text
from ..service.export import ExportRow, feed_entries, open_export
from ..service.params import search_request
from . import i18n
from .context import current_ui, encode
from .errors import ApiError, error_body
from .state import live_index, search_options, search_slot

bp = Blueprint("exports", __name__)

ATOM_TYPE = "application/atom+xml; charset=utf-8"
# The parameters of a page of results, which play no part in an export or a feed.
PAGING = ("page", "per_page")
# The longest query slug a file name takes.
MAX_SLUG = 60


def document_url(doc_id: str, params: dict[str, str]) -> str:
    """A document's page in the archive, as a whole address (an export is read elsewhere)."""
    return url_for("pages.document", doc_id=doc_id, _external=True, **params)


def unpaged() -> dict[str, list[str]]:
    """The request's parameters but the page of results (what an export and a feed do not read)."""
    return {name: values for name, values in request.args.to_dict(flat=False).items() if name not in PAGING}


@bp.get("/api/export")
def api_export():
    """Every result of a search (every parameter of /api/search but page and per_page) as a
    file: ``format`` csv (the default), jsonl or ris, streamed."""
    settings = current_app.config
    kind = export_format(request.args.get("format", "csv"))
    wanted = search_request(unpaged(), settings)
    with contextlib.ExitStack() as stack:
        stack.enter_context(search_slot())
        export = stack.enter_context(
            open_export(
                live_index(),
                wanted,
                limit=settings["EXPORT_MAX"],
                document_url=document_url,
                snippet_text=snippet_text,
                **search_options(),
            )
        )
        held = stack.pop_all()  # let go when the answer ends, not when this view returns
    response = Response(stream_with_context(joined(kind.write(export.rows()))), content_type=kind.media_type)
    response.call_on_close(held.close)
    response.headers["Content-Disposition"] = attachment(wanted.q, kind.extension)
    response.headers["X-Archive-Total"] = str(export.total)
    return response


def attachment(q: str, extension: str) -> str:
    """The Content-Disposition of an export of the query ``q``: ``archive-search-<slug>.<ext>``,
    the slug the query's words (in any script, as RFC 6266's ``filename*``) and, for clients
    that read only ``filename``, its ASCII words."""
    words = re.findall(r"\w+", q.casefold())
    slug = "-".join(words)[:MAX_SLUG].strip("-") or "all"
    plain = "-".join(word for word in words if word.isascii())[:MAX_SLUG].strip("-") or "export"
    return (
        f'attachment; filename="archive-search-{plain}.{extension}"; '
        f"filename*=UTF-8''{quote(f'archive-search-{slug}.{extension}', safe='')}"
    )


@bp.get("/feed")
def feed():
    """The newest results of a search (every filter of /api/search) as an Atom feed, newest
    first by the document's date; a refusal in the API's one error shape."""
    settings = current_app.config
    try:
        wanted = search_request(unpaged(), settings)
        with search_slot():
            found = feed_entries(
                live_index(),
                wanted,
                settings["FEED_ENTRIES"],
                document_url=document_url,
                snippet_text=snippet_text,
                **search_options(),
            )
    except QueryError as error:
        return _refused(error.status, str(error))
    except ApiError as error:
        return _refused(error.status, error.message)
    except IndexMissing as error:
        return _refused(503, f"{MESSAGES['unavailable'][0]} {error}")
    ui = current_ui()
    site = i18n.label("site_name", ui)
    query = f"?{encode(request.args)}" if request.args else ""
    links = FeedLinks(
        title=f"{site}: {wanted.q}",
        language=ui,
        self_url=url_for("exports.feed", _external=True) + query,
        page_url=url_for("pages.search_page", _external=True) + query,
        author=site,
        entry_id=_entry_id,
    )
    return Response(atom_feed(found, links), content_type=ATOM_TYPE)


def _entry_id(row: ExportRow) -> str:
    """An entry's id: the document's own page, the same in every feed and after every build."""
    return url_for("pages.document", doc_id=row.id, _external=True)


def _refused(status: int, message: str) -> Response:
    """A refusal of the feed, in the API's error shape (a feed reader is a program)."""
    response = jsonify(error_body(status, message))
    response.status_code = status
    return response
