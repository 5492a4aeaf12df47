"""What the tests of a measure's page share (test_web_measure.py and
test_web_measure_evidence.py): sample files and hostile text, a signed-in client, a
post to one of the page's forms, and a snapshot of everything a form could change."""

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.app.conftest import Cast
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Problem
from zhenggai.inspections.moves import MoveInput
from zhenggai.ledger.models import Approval, Evidence, Extension, Measure, ProgressEntry
from zhenggai.orgs.models import Role
from zhenggai.services import ledger as services

if TYPE_CHECKING:
    # What the test client answers, as django-stubs names it.
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

TODAY = dt.date.today()
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
SCRIPT = "<script>alert(1)</script>"
ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"
IMG = '"><img src=x onerror=alert(1)>'
ESCAPED_IMG = "&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"
RTL = "整改\u202e完成"
LONG = "长" * 20_000


def client(user: User) -> Client:
    c = Client()
    c.force_login(user)
    return c


def url(measure: Measure) -> str:
    return f"/measures/{measure.pk}/"


def body(response: "Response") -> str:
    return response.content.decode()


def post(user: User, measure: Measure, form: str, prefix: str = "", **data: Any) -> "Response":
    """Submit one of the page's forms; its fields carry the form's prefix (``review-7``)."""
    fields = {k if k == "target" else f"{prefix or form}-{k}": v for k, v in data.items()}
    response: Response = client(user).post(url(measure), {"form": form, **fields})
    return response


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def stored_files() -> set[Path]:
    root = Path(settings.MEDIA_ROOT)
    return set(root.rglob("*")) if root.exists() else set()


def everything() -> tuple[object, ...]:
    """What any form could change, to compare before and after a refusal."""
    return (
        list(Measure.objects.order_by("pk").values_list("state", "deadline")),
        list(Problem.objects.order_by("pk").values_list("state", flat=True)),
        list(Evidence.objects.order_by("pk").values_list("review", "review_comment")),
        list(Extension.objects.order_by("pk").values_list("decision", flat=True)),
        ProgressEntry.objects.count(),
        Approval.objects.count(),
        Event.objects.count(),
        stored_files(),
    )


def alert(response: "Response") -> str:
    """The text of the page's refusal (role="alert"), tags removed."""
    found = re.search(r'role="alert"[^>]*>(.*?)</div>', body(response), re.S)
    assert found, "no alert on the page"
    return re.sub(r"<[^>]+>|\s+", "", found.group(1))


def person(cast: Cast) -> User:
    return cast.a.users[Role.RESPONSIBLE_PERSON]


def leader(cast: Cast) -> User:
    return cast.a.users[Role.RESPONSIBLE_LEADER]


def office(cast: Cast) -> User:
    return cast.a.users[Role.RECTIFICATION_OFFICE]


def with_evidence(cast: Cast, content: bytes = PDF, name: str = "会议记录.pdf") -> Evidence:
    return services.evidence_add(
        actor=person(cast),
        measure_id=cast.a.measure.pk,
        name=name,
        content=content,
        effective_date=TODAY,
    )


def awaiting_sign_off(cast: Cast, accepted: bool = True) -> Evidence:
    """The person's measure started, evidenced, submitted; its evidence accepted."""
    m = cast.a.measure.pk
    services.measure_move(actor=person(cast), measure_id=m, move="start", data=MoveInput())
    evidence = with_evidence(cast)
    services.measure_move(actor=person(cast), measure_id=m, move="submit", data=MoveInput())
    if accepted:
        services.evidence_review(
            actor=office(cast), evidence_id=evidence.pk, accept=True, comment=""
        )
    return evidence


def history(cast: Cast, measure: Measure | None = None) -> str:
    """The page's history section, tags removed."""
    page = body(client(cast.a.users[Role.DISCIPLINE]).get(url(measure or cast.a.measure)))
    section = page[page.index('id="history"') :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", section))
