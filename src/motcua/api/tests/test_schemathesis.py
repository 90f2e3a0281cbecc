"""The API against its own published schema: schemathesis generates requests for every operation of
/api/v1/openapi.json and sends them to a live server. No answer may be a server error (5xx), and every answer
must agree with the schema: a documented status code, the documented content type, a body that validates
against the documented schema for that status.

Bounded (a few examples per operation, no shrinking) so that it stays under a minute:
`pytest -m schemathesis src/motcua/api/tests/test_schemathesis.py`."""

import pytest

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, Phase, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [pytest.mark.schemathesis, pytest.mark.django_db(transaction=True)]

EXAMPLES_PER_OPERATION = 5
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _exercise(operation, headers: dict) -> None:
    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        phases=[Phase.explicit, Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    def run(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    run()


@pytest.mark.parametrize("who", ["anonymous", "staff token"])
def test_every_operation_answers_as_its_schema_says_without_server_errors(live_server, who):
    headers = {}
    if who == "staff token":
        from motcua.apitokens.models import ApiToken
        from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet

        staff = StaffSet(ProcedureWithProcessFactory())
        _row, token = ApiToken.issue(staff.officer)
        headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        try:
            _exercise(operation, headers)
        except (Exception, BaseExceptionGroup) as exc:  # every operation runs; failures are reported together
            failures.append(f"{operation.label}: {type(exc).__name__}: {str(exc)[:600]}")
    assert operations > 5
    assert not failures, "\n\n".join(failures)
