"""The templates an organisation has in use: the one place that reads them."""

from zhenggai.documents.models import Template


def live_templates(organisation_id: int) -> dict[str, Template]:
    """The organisation's templates in use, by kind (one query); a kind absent uses the
    default. The latest upload wins; earlier ones stay for the record."""
    live = Template.objects.filter(organisation_id=organisation_id, retired=False).select_related(
        "uploaded_by"
    )
    chosen: dict[str, Template] = {}
    for template in live.order_by("kind", "-uploaded_at", "-pk"):
        chosen.setdefault(template.kind, template)
    return chosen


def live_template(organisation_id: int, kind: str) -> bytes | None:
    """The content of the organisation's template of ``kind`` in use, None for the default."""
    content = (
        Template.objects.filter(organisation_id=organisation_id, kind=kind, retired=False)
        .order_by("-uploaded_at", "-pk")
        .values_list("content", flat=True)
        .first()
    )
    return None if content is None else bytes(content)
