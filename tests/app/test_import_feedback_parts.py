"""The feedback's recommendations (整改意见建议) and the case leads handed over
(问题线索移交) are stored with the inspection, each with its audit event; a count of
leads larger than the leads listed is kept as a stated total."""

import pytest

from zhenggai.audit.chain import verify
from zhenggai.audit.models import Event
from zhenggai.core.model import CaseLeads, Category, Document, Problem, StatedTotals
from zhenggai.inspections.models import CaseLead, Inspection, Recommendation
from zhenggai.services.importing import import_document
from zhenggai.taxonomy.models import ProblemTopic

pytestmark = pytest.mark.django_db

RECOMMENDATIONS = [
    "切实履行全面从严治党主体责任，压紧压实“两个责任”",
    "健全完善内控制度，加强对重点领域和关键环节的监督",
]
LEADS = ["反映某股室负责人违规发放津补贴问题", "反映某项目工程款支付不规范问题"]


def _feedback(**parts: object) -> Document:
    document = Document(
        kind="feedback",
        title="县委第三巡察组关于巡察县自然资源局党组的反馈意见",
        categories=[Category("党的政治建设方面", problems=[Problem("理论学习不深入")])],
    )
    for name, value in parts.items():
        setattr(document, name, value)
    return document


def _import(document: Document, content: bytes = b"feedback") -> Inspection:
    return import_document(
        document=document, content=content, source_name="反馈意见.docx", org_name="县自然资源局"
    ).inspection


def test_each_recommendation_and_case_lead_is_stored_with_its_event() -> None:
    inspection = _import(
        _feedback(recommendations=RECOMMENDATIONS, case_leads=CaseLeads(count=2, items=LEADS))
    )
    recommendations = Recommendation.objects.filter(inspection=inspection).order_by("pk")
    leads = CaseLead.objects.filter(inspection=inspection).order_by("pk")
    assert [r.text for r in recommendations] == RECOMMENDATIONS
    assert [(c.description, c.disposal) for c in leads] == [
        (text, CaseLead.Disposal.PENDING) for text in LEADS
    ]
    assert [
        (e.action, e.object_id)
        for e in Event.objects.filter(object_type__in=("recommendation", "caselead"))
    ] == [("recommendation.import", r.pk) for r in recommendations] + [
        ("caselead.import", c.pk) for c in leads
    ]
    assert "case_leads" not in inspection.stated_totals  # as many as it lists
    assert verify() is None


def test_more_leads_stated_than_listed_are_kept_as_a_stated_total() -> None:
    inspection = _import(
        _feedback(
            stated_totals=StatedTotals(problems=1),
            case_leads=CaseLeads(count=5, items=LEADS[:1]),
        )
    )
    inspection.refresh_from_db()
    assert inspection.stated_totals == {"problems": 1, "case_leads": 5}
    assert CaseLead.objects.filter(inspection=inspection).count() == 1


def test_a_count_of_leads_with_none_listed_is_kept_alone() -> None:
    inspection = _import(_feedback(case_leads=CaseLeads(count=3)))
    inspection.refresh_from_db()
    assert inspection.stated_totals == {"case_leads": 3}
    assert not CaseLead.objects.filter(inspection=inspection).exists()


def test_a_feedback_without_them_stores_none() -> None:
    inspection = _import(_feedback())
    assert not Recommendation.objects.filter(inspection=inspection).exists()
    assert not CaseLead.objects.filter(inspection=inspection).exists()
    assert inspection.stated_totals == {}


def test_a_second_document_into_the_inspection_adds_them_once() -> None:
    parts = {"recommendations": RECOMMENDATIONS, "case_leads": CaseLeads(count=2, items=LEADS)}
    first = _import(_feedback(**parts))
    events = Event.objects.count()
    again = import_document(
        document=_feedback(**parts),
        content=b"a later bulletin",
        source_name="通报.docx",
        org_name="县自然资源局",
        inspection_id=first.pk,
    )
    assert again.counts == {"sourcedocument": 1}
    assert Recommendation.objects.count() == len(RECOMMENDATIONS)
    assert CaseLead.objects.count() == len(LEADS)
    assert Event.objects.count() == events + 1


def test_each_problem_imported_gets_a_suggested_topic_audited() -> None:
    inspection = _import(_feedback())
    (row,) = ProblemTopic.objects.filter(problem__inspection=inspection)
    assert row.suggested and row.topic.name == "思想建设"  # 理论学习
    assert Event.objects.filter(action="problem_topic.suggest", object_id=row.pk).exists()
    assert verify() is None
