"""schemathesis against the schema the application serves: whatever a client
sends to any operation, the answer is never a server error.

The requests go through the real WSGI application with the bearer token of a
user who holds nearly every role, so writes get past authentication and
reach the services. Path ids are drawn half from the cast's real objects, so
the workflow is exercised and not only the 404 of an unknown id; the other
half, and bodies that break the schema, come from schemathesis as it likes.
"""

import datetime as dt
import itertools
import secrets
from typing import Any

import pytest
import schemathesis
from django.contrib.auth.models import User
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Err
from schemathesis.schemas import APIOperation, BaseSchema

from tests.app.conftest import Cast
from zhenggai.audit.chain import verify
from zhenggai.orgs.models import ApiToken, Membership, Role
from zhenggai.orgs.tokens import digest
from zhenggai.services import ledger as services
from zhenggai.wsgi import application

# Committed data: requests go through the WSGI handler, which ends each
# request as a server does, so they cannot share a test transaction.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

Operation = APIOperation[Any, Any, Any, Any]

EXAMPLES = 40  # per operation and kind of input; the file runs in well under a minute


def _fuzzer_token(cast: Cast) -> str:
    """A user who may do nearly everything in organisation A and supervises it."""
    user = User.objects.create_user(username="fuzzer")
    for role in Role:
        if role == Role.INSPECTION_OFFICE:
            Membership.objects.create(user=user, organisation=cast.office, role=role)
        else:
            department = cast.a.department if role == Role.RESPONSIBLE_PERSON else None
            Membership.objects.create(
                user=user, organisation=cast.a.org, role=role, department=department
            )
    token = secrets.token_urlsafe(16)
    ApiToken.objects.create(user=user, digest=digest(token))
    return token


def _known_ids(cast: Cast) -> dict[str, list[int]]:
    """Real objects for each path parameter: A's, which the user may act on, and B's, which it may not."""
    person = cast.a.users[Role.RESPONSIBLE_PERSON]
    evidence = services.evidence_add(
        actor=person,
        measure_id=cast.a.measure.pk,
        name="记录.txt",
        content="学习记录".encode(),
        effective_date=dt.date.today(),
    )
    extension = services.extension_request(
        actor=person,
        measure_id=cast.a.measure.pk,
        new_deadline=dt.date.today() + dt.timedelta(days=365),
        reason="等待批复",
    )
    return {
        "measure_id": [cast.a.measure.pk, cast.a.other_measure.pk, cast.b.measure.pk],
        "problem_id": [cast.a.problem.pk, cast.b.problem.pk],
        "inspection_id": [cast.a.inspection.pk, cast.b.inspection.pk],
        "evidence_id": [evidence.pk],
        "extension_id": [extension.pk],
        "id": [cast.a.measure.pk, cast.a.problem.pk, cast.a.inspection.pk, evidence.pk],
        # Plan versions by number: the ones a submission of A's plan makes.
        "old": [1, 2],
        "new": [1, 2],
    }


def _cases(operation: Operation, known: dict[str, list[int]]) -> st.SearchStrategy[Case[Any]]:
    """Cases aimed at real objects, cases as schemathesis makes them, and invalid ones."""
    names = [p.name for p in operation.path_parameters if p.name in known]
    aimed = [
        operation.as_strategy(path_parameters=dict(zip(names, values, strict=True)))
        for values in itertools.product(*(known[name] for name in names))
    ]
    free = operation.as_strategy()
    invalid = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
    return st.one_of(st.one_of(aimed) if names else free, free, invalid)


def _run(operation: Operation, strategy: st.SearchStrategy[Case[Any]], token: str) -> None:
    headers = {"Authorization": f"Bearer {token}"}

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,  # the same cases on every run
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    def check(case: Case[Any]) -> None:
        case.call_and_validate(headers=headers, checks=[not_a_server_error])

    check()


def _operations(schema: BaseSchema) -> list[Operation]:
    found = []
    for result in schema.get_all_operations():
        if isinstance(result, Err):
            raise result.err()  # an operation schemathesis cannot read is a broken schema
        found.append(result.ok())
    return found


def _operation_count(raw: dict[str, Any]) -> int:
    methods = {"get", "put", "post", "delete", "patch", "head", "options", "trace"}
    return sum(len(methods & set(item)) for item in raw["paths"].values())


def test_no_operation_answers_with_a_server_error(cast: Cast) -> None:
    token = _fuzzer_token(cast)
    known = _known_ids(cast)
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)
    operations = _operations(schema)
    failures: dict[str, BaseException] = {}
    for operation in operations:
        try:
            _run(operation, _cases(operation, known), token)
        except Exception as error:  # collected, so one run names every failing operation
            failures[operation.label] = error
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
    assert 0 < len(operations) == _operation_count(schema.raw_schema)
    # Whatever the requests did, they did it through the services: the chain holds.
    assert verify() is None
