"""A figure an imported document states that its own parts contradict (seed 004: its
summary says 批评教育11人, its problems add up to 20) is reported on import, names
both figures, and holds the bulletin back until a publisher explains it, audited."""

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from tests.app.conftest import Cast
from tests.support import SAMPLES
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection
from zhenggai.orgs.models import Role
from zhenggai.publications import selectors
from zhenggai.publications.models import Acknowledgement, Publication
from zhenggai.publications.services import contradiction_explain, publish
from zhenggai.refusals import NotFound, Refused
from zhenggai.services import sources
from zhenggai.services.accountability import regulation_record

pytestmark = pytest.mark.django_db

SEED_004 = next(s for s in SAMPLES if s.name.startswith("004"))
MISMATCH = "文中汇总称批评教育11人，但各问题中合计20人"


@pytest.fixture(autouse=True)
def a_data_folder_of_our_own(settings: Any, tmp_path: Path) -> None:
    settings.DATA_DIR = tmp_path


def _imported(cast: Cast) -> Inspection:
    done = sources.feedback_import(
        actor=cast.a.users[Role.RECTIFICATION_OFFICE],
        organisation_id=cast.a.org.pk,
        name=SEED_004.name,
        content=SEED_004.read_bytes(),
        other_organisation_ok=True,
    )
    assert done.inspection is not None and MISMATCH in done.warnings
    return done.inspection


def test_the_mismatch_is_reported_on_import_and_blocks_publication(cast: Cast) -> None:
    inspection = _imported(cast)
    assert selectors.open_contradictions(inspection.pk) == [MISMATCH]
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    with pytest.raises(Refused, match="批评教育11人，但各问题中合计20人"):
        publish(actor=office, inspection_id=inspection.pk)
    assert not Publication.objects.exists()


def test_an_explanation_is_recorded_and_lets_it_go_out(cast: Cast) -> None:
    inspection = _imported(cast)
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    with pytest.raises(Refused, match="请写明说明理由"):
        contradiction_explain(
            actor=office, inspection_id=inspection.pk, warning=MISMATCH, reason=" "
        )
    made = contradiction_explain(
        actor=office, inspection_id=inspection.pk, warning=MISMATCH,
        reason="汇总含同一人员因多个问题受批评教育，按人数计11人",
    )  # fmt: skip
    assert Event.objects.filter(action="contradiction.explain", object_id=made.pk).exists()
    assert selectors.open_contradictions(inspection.pk) == []
    with pytest.raises(Refused, match="不存在或已说明"):
        contradiction_explain(
            actor=office, inspection_id=inspection.pk, warning=MISMATCH, reason="再次"
        )
    assert publish(actor=office, inspection_id=inspection.pk).version == 1


def test_only_a_publisher_explains(cast: Cast) -> None:
    inspection = _imported(cast)
    with pytest.raises(Refused):
        contradiction_explain(
            actor=cast.a.users[Role.RESPONSIBLE_PERSON], inspection_id=inspection.pk,
            warning=MISMATCH, reason="x",
        )  # fmt: skip
    with pytest.raises(NotFound):
        contradiction_explain(
            actor=cast.b.users[Role.RECTIFICATION_OFFICE], inspection_id=inspection.pk,
            warning=MISMATCH, reason="x",
        )  # fmt: skip
    assert not Acknowledgement.objects.exists()


def test_the_page_lists_it_and_takes_the_explanation(cast: Cast) -> None:
    inspection = _imported(cast)
    client = Client()
    client.force_login(cast.a.users[Role.RECTIFICATION_OFFICE])
    url = f"/inspections/{inspection.pk}/publications/"
    refused = client.post(url)
    assert refused.status_code == 403 and MISMATCH in refused.content.decode()
    explained = client.post(url, {"op": "explain", "warning": MISMATCH, "reason": "已核实"})
    assert explained.status_code == 302
    assert MISMATCH not in client.get(url).content.decode()
    assert client.post(url).status_code == 302  # published


def test_a_figure_the_ledger_now_contradicts_is_told_on_download_and_holds_publication(
    cast: Cast,
) -> None:
    """Seed 004 states 「等18份制度方案」: the register holds 18 after the import; a
    19th registered makes the statement wrong, which the download tells and the
    publication waits on until explained."""
    inspection = _imported(cast)
    office = cast.a.users[Role.RECTIFICATION_OFFICE]
    contradiction_explain(
        actor=office, inspection_id=inspection.pk, warning=MISMATCH, reason="按人数计"
    )
    assert selectors.open_contradictions(inspection.pk) == []
    regulation_record(actor=office, inspection_id=inspection.pk, title="公务用车管理办法")
    differs = "文书称建立完善制度18项，建章立制台账登记19项"
    assert selectors.open_contradictions(inspection.pk) == [differs]
    client = Client()
    client.force_login(office)
    download = client.get(f"/inspections/{inspection.pk}/documents/bulletin.docx")
    assert download.status_code == 200
    assert differs in client.get(f"/inspections/{inspection.pk}/").content.decode()
    with pytest.raises(Refused, match=differs):
        publish(actor=office, inspection_id=inspection.pk)
    contradiction_explain(
        actor=office, inspection_id=inspection.pk, warning=differs, reason="第19项为整改后新建"
    )
    assert publish(actor=office, inspection_id=inspection.pk).version == 1
