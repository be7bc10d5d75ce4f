"""The API fuzzed against its own OpenAPI description by schemathesis, in process.

Every operation gets generated requests (valid and schema-shaped values, the schema's examples);
every answer must be no 5xx, a status the operation declares, the declared content type, and a body
that matches the declared schema. The examples are derandomized and bounded so the file runs in
well under a minute on two cores; the rate limit is switched off, since the fuzzer is one client
asking fast on purpose.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


# The description is read once, at import; the catalogue is the test's (see ``served``).
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())


@pytest.fixture
def served(archive, settings):
    """The test catalogue served through a bare WSGI handler, without the rate limit.

    Django's test client keeps the test's transaction open by not closing connections when a
    request starts; the bare handler would close it, so the same signal is disconnected here."""
    settings.OPIS_API_RATE_LIMIT = "0"
    request_started.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=30,
    derandomize=True,
    database=None,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_described(case, served):
    case.call_and_validate(checks=CHECKS)
