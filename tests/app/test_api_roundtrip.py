"""Each seed, imported and read back through the API, is the parser's structure exactly."""

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.test import Client

from tests.support import SAMPLES
from zhenggai.api.ledger import LEDGER_KEYS
from zhenggai.core.readers import parse_file
from zhenggai.orgs.models import Membership, Role
from zhenggai.services.importing import import_document

pytestmark = pytest.mark.django_db


def _parsed(sample: Path) -> tuple[Any, dict[str, Any]]:
    document = parse_file(sample)
    full = document.to_dict()
    return document, {key: full[key] for key in LEDGER_KEYS}


@pytest.mark.parametrize("sample", SAMPLES, ids=[s.stem for s in SAMPLES])
def test_the_ledger_reads_back_as_the_parser_wrote_it(client: Client, sample: Path) -> None:
    document, expected = _parsed(sample)
    result = import_document(
        document=document,
        content=sample.read_bytes(),
        source_name=sample.name,
        org_name=document.org or "某单位",
    )
    # The ledger always names its organisation, even when the document did not.
    expected["org"] = result.inspection.organisation.name
    office = result.inspection.organisation.parent
    assert office is not None
    reader = User.objects.create_user(username="office")
    Membership.objects.create(user=reader, organisation=office, role=Role.INSPECTION_OFFICE)
    client.force_login(reader)
    response = client.get(f"/api/inspections/{result.inspection.pk}/ledger")
    assert response.status_code == 200
    # A bulletin states no 整改类型: the ledger has the importer's (tests/app/test_import*.py).
    assert _typeless(response.json()) == _typeless(expected)


def _typeless(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _typeless(v) for k, v in value.items() if k != "type"}
    if isinstance(value, list):
        return [_typeless(item) for item in value]
    return value


def test_the_keys_are_the_ones_the_issue_names() -> None:
    assert LEDGER_KEYS == (
        "title",
        "org",
        "inspection_body",
        "level",
        "inspection_kind",
        "onsite_period",
        "feedback_date",
        "date",
        "categories",
        "stated_totals",
        "accountability",
        "regulations",
        "unfinished",
        "contact",
    )
