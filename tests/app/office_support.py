"""What the tests of an office's administration share: the cast's office with an
administrator, a second office with its own administrator and organisation, and
people files (.xlsx) built in memory."""

import io
from collections.abc import Sequence
from dataclasses import dataclass

import openpyxl
import pytest
from django.contrib.auth.models import User

from tests.app.conftest import PASSWORD, Cast
from zhenggai.audit.models import Event
from zhenggai.orgs.models import Account, Organisation
from zhenggai.services import people_import

HEADINGS = list(people_import.COLUMNS)


@dataclass
class Offices:
    """The cast's office (A's and B's) with ``admin``, and another office with
    ``other_admin``, its organisation ``elsewhere`` and its person ``stranger``."""

    cast: Cast
    admin: User
    other_office: Organisation
    other_admin: User
    elsewhere: Organisation
    stranger: User


def administrator(name: str, office: Organisation) -> User:
    user = User.objects.create_user(username=name, password=PASSWORD, first_name=f"{name}管理员")
    Account.objects.create(user=user, office=office, administrator=True)
    return user


@pytest.fixture(name="offices")
def offices_fixture(cast: Cast) -> Offices:
    """Imported by the tests that use it (as ``offices``)."""
    other = Organisation.objects.create(name="市委巡察办", kind=Organisation.Kind.OFFICE)
    elsewhere = Organisation.objects.create(
        name="市图书馆", kind=Organisation.Kind.INSPECTED, parent=other
    )
    stranger = User.objects.create_user(username="stranger", password=PASSWORD)
    Account.objects.create(user=stranger, office=other)
    return Offices(
        cast,
        administrator("admin", cast.office),
        other,
        administrator("other_admin", other),
        elsewhere,
        stranger,
    )


def workbook(rows: Sequence[Sequence[object]], headings: Sequence[str] = HEADINGS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(headings))
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def actions() -> list[str]:
    return list(Event.objects.order_by("seq").values_list("action", flat=True))
