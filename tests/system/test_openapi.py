"""The API against its own OpenAPI description: generated requests (valid and invalid) never get
a 5xx, and every response fits the schema (schemathesis, in process); the document's limits are
the settings, and every status the code can answer is in it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from ..support import ROOT

pytestmark = pytest.mark.slow

# (schemathesis leaves out the operation that serves the schema itself)
OPERATIONS = [
    "GET /api/search",
    "GET /api/documents/{id}",
    "GET /healthz",
    "GET /api/export",
    "GET /feed",
    "POST /api/batch",
]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [
    ("GET /api/search", GenerationMode.NEGATIVE),
    ("POST /api/batch", GenerationMode.NEGATIVE),
]


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{label} {mode.value}" for label, mode in CASES])
def test_every_operation_keeps_to_the_schema(api_schema, label, mode):
    operations = {result.ok().label: result.ok() for result in api_schema.get_all_operations()}
    assert set(operations) == set(OPERATIONS)

    @given(case=operations[label].as_strategy(generation_mode=mode))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case):
        response = case.call()
        assert response.status_code < 500, (case.query, case.path_parameters, response.text[:300])
        # Every check but "valid data is accepted": a query of stop words only, say, fits the
        # schema and is still refused with a 400 that says why.
        excluded = [positive_data_acceptance]
        # A list sent as text may be any text: the body of a text/csv or text/plain batch cannot
        # violate its schema, whatever the generator made of it.
        if case.media_type in ("text/csv", "text/plain"):
            excluded.append(negative_data_rejection)
        case.validate_response(response, excluded_checks=excluded)

    check()


# --- The document cannot drift from the code ---------------------------------------------------

APP = ROOT / "app"


def documented(app) -> dict[str, set[int]]:
    """The statuses the OpenAPI document gives each path."""
    paths = app.test_client().get("/api/openapi.json").get_json()["paths"]
    return {
        path: {int(status) for operation in item.values() for status in operation["responses"]}
        for path, item in paths.items()
    }


def test_the_documented_limits_are_the_settings(made_app):
    paths = made_app(MAX_PER_PAGE=50, PER_PAGE=7, MAX_QUERY_CHARS=200).test_client().get("/api/openapi.json").get_json()
    parameters = {item["name"]: item["schema"] for item in paths["paths"]["/api/search"]["get"]["parameters"]}
    assert (parameters["per_page"]["maximum"], parameters["per_page"]["default"]) == (50, 7)
    assert parameters["q"]["maxLength"] == 200


def test_every_status_an_operation_answers_is_in_the_document(made_app, tmp_path):
    app = made_app(SEARCHES_PER_CLIENT=1, CACHE_ENTRIES=0)
    client = app.test_client()
    small = made_app(BATCH_BYTES=1024).test_client()  # a batch's body is refused past it
    answered = {
        ("/api/search", client.get("/api/search?q=rights").status_code),
        ("/api/search", client.get("/api/search?q=rights&per_page=0").status_code),
        ("/api/search", made_app(SEARCH_SECONDS=0.0).test_client().get("/api/search?q=rights OR 人權").status_code),
        ("/api/documents/{id}", client.get("/api/documents/udhr/udhr_eng?q=torture").status_code),
        ("/api/documents/{id}", client.get("/api/documents/udhr/udhr_eng?q=a*").status_code),
        ("/api/documents/{id}", client.get("/api/documents/no/such/document").status_code),
        ("/api/openapi.json", client.get("/api/openapi.json").status_code),
        ("/healthz", client.get("/healthz").status_code),
        ("/api/export", client.get("/api/export?q=rights&format=ris").status_code),
        ("/api/export", client.get("/api/export?q=rights&format=xlsx").status_code),
        ("/api/export", made_app(EXPORT_MAX=1).test_client().get("/api/export?q=rights").status_code),
        ("/feed", client.get("/feed?q=rights").status_code),
        ("/feed", client.get("/feed?q=a*").status_code),
        ("/api/batch", client.post("/api/batch", json={"queries": ["rights", "a*"]}).status_code),
        ("/api/batch", client.post("/api/batch", json={"queries": "rights"}).status_code),
        ("/api/batch", client.post("/api/batch", data="rights", content_type="application/xml").status_code),
        ("/api/batch", small.post("/api/batch", data="a\n" * 600, content_type="text/plain").status_code),
    }
    with app.extensions["limiter"].hold("127.0.0.1"):
        answered.add(("/api/search", client.get("/api/search?q=rights").status_code))
        answered.add(("/api/export", client.get("/api/export?q=rights").status_code))
        answered.add(("/feed", client.get("/feed?q=rights").status_code))
        answered.add(("/api/batch", client.post("/api/batch", json={"queries": ["rights"]}).status_code))
    empty = made_app(INDEX=str(tmp_path / "no-index")).test_client()  # no generation built yet
    for path, url in (
        ("/api/search", "/api/search?q=rights"),
        ("/api/documents/{id}", "/api/documents/x"),
        ("/healthz", "/healthz"),
        ("/api/export", "/api/export?q=rights"),
        ("/feed", "/feed?q=rights"),
    ):
        answered.add((path, empty.get(url).status_code))
    answered.add(("/api/batch", empty.post("/api/batch", json={"queries": ["rights"]}).status_code))
    assert {status for _path, status in answered} >= {200, 400, 404, 413, 415, 429, 503}
    listed = documented(app)
    assert {(path, status) for path, status in answered if status not in listed[path]} == set()
    # What the worker answers before any view, and an unexpected failure, any operation may meet.
    before_views = {int(status) for status in re.findall(r"error_answer\((\d{3})", (APP / "web/worker.py").read_text())}
    assert before_views == {413, 414}
    assert all(before_views | {500} <= statuses for statuses in listed.values())


def test_every_status_the_code_raises_is_in_the_document(app):
    raised = set()
    for path in APP.rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        raised |= {int(status) for status in re.findall(r"\bApiError\((\d{3})", text)}
        raised |= {int(status) for status in re.findall(r"(?m)^    status = (\d{3})$", text)}  # QueryError's kind
        raised |= {int(status) for status in re.findall(r"\berror_response\((\d{3})", text)}
    assert raised >= {400, 404, 409, 429, 503}
    listed = set().union(*documented(app).values())
    # 409 is the original file's (/originals/<id>, a download rather than an API operation).
    assert raised - {409} <= listed
