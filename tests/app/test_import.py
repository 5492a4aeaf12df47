"""zhenggai import: a seed becomes an inspection; importing it again changes nothing."""

import json

import pytest
from django.core.management import call_command

from tests.support import SAMPLES
from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.inspections.models import Inspection, Problem
from zhenggai.ledger.models import Measure
from zhenggai.orgs.models import Organisation

pytestmark = pytest.mark.django_db


def _import(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    call_command("import", *args, "--json")
    result: dict[str, object] = json.loads(capsys.readouterr().out)
    return result


def test_it_creates_the_organisation_and_the_inspection(capsys: pytest.CaptureFixture[str]) -> None:
    result = _import(capsys, str(SAMPLES[1]), "--org", "区融媒体中心")
    inspection = Inspection.objects.get(pk=int(str(result["inspection"])))
    assert inspection.organisation.name == "区融媒体中心"
    assert inspection.organisation.parent is not None
    assert inspection.organisation.parent.kind == Organisation.Kind.OFFICE
    assert inspection.categories.count() == 5
    assert Problem.objects.filter(inspection=inspection, parent=None).count() == 17
    assert result["created"] is True
    assert verify() is None


def test_reimporting_the_same_file_duplicates_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    first = _import(capsys, str(SAMPLES[4]), "--org", "市融媒体中心")
    counts = (Problem.objects.count(), Measure.objects.count(), Event.objects.count())
    second = _import(capsys, str(SAMPLES[4]), "--org", "市融媒体中心")
    assert second == {
        "inspection": first["inspection"],
        "created": False,
        "changed": False,
        "counts": {},
    }
    assert (Problem.objects.count(), Measure.objects.count(), Event.objects.count()) == counts


def test_a_second_document_into_an_inspection_does_not_rebuild_its_ledger(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = _import(capsys, str(SAMPLES[0]), "--org", "县融媒体中心")
    measures = Measure.objects.count()
    _import(
        capsys, str(SAMPLES[1]), "--org", "县融媒体中心", "--inspection", str(first["inspection"])
    )
    assert Measure.objects.count() == measures
    assert Inspection.objects.count() == 1


def test_an_unreadable_file_is_refused_in_chinese_and_writes_nothing(tmp_path: object) -> None:
    from pathlib import Path

    from django.core.management.base import CommandError

    bad = Path(str(tmp_path)) / "反馈.docx"
    bad.write_bytes(b"not a docx")
    with pytest.raises(CommandError, match="文件"):
        call_command("import", str(bad), "--org", "某单位")
    assert Organisation.objects.count() == 0
    assert Event.objects.count() == 0


def test_an_inspection_of_another_organisation_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from django.core.management.base import CommandError

    first = _import(capsys, str(SAMPLES[0]), "--org", "甲单位")
    with pytest.raises(CommandError, match="不属于"):
        call_command(
            "import", str(SAMPLES[1]), "--org", "乙单位", "--inspection", str(first["inspection"])
        )
    assert Inspection.objects.count() == 1


def test_unfinished_items_are_linked_to_the_problems_they_name(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """004 lists five unfinished items, titled with other quote marks than its problems,
    one only by a phrase quoted from the feedback."""
    from zhenggai.ledger.models import Unfinished

    result = _import(capsys, str(SAMPLES[4]), "--org", "晋江市融媒体中心")
    items = list(Unfinished.objects.filter(inspection_id=int(str(result["inspection"]))))
    assert len(items) == 5
    assert all(item.problem is not None for item in items)
    linked = next(i for i in items if "未制定整体发展规划" in (i.problem_text or ""))
    assert linked.problem is not None
    assert linked.problem.measures.filter(text__contains="整体发展规划").exists()
