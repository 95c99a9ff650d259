"""The API against its own OpenAPI description: generated requests (valid and invalid) never get
a 5xx, and every response fits the schema (schemathesis, in process)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import positive_data_acceptance

pytestmark = pytest.mark.slow

# (schemathesis leaves out the operation that serves the schema itself)
OPERATIONS = ["GET /api/search", "GET /api/documents/{id}", "GET /healthz"]


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


CASES = [(label, GenerationMode.POSITIVE) for label in OPERATIONS] + [("GET /api/search", GenerationMode.NEGATIVE)]


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
        case.validate_response(response, excluded_checks=[positive_data_acceptance])

    check()
