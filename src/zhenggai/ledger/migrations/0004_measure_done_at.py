"""A measure's done_at, filled for the measures already done from their latest
sign-off or long-term approval (those imported as done have none, and keep none)."""

from typing import Any

from django.db import migrations, models
from django.db.models import Max, OuterRef, Subquery

DONE = ("signed_off", "long_term")
CLOSING = ("sign_off", "long_term")


def fill(apps: Any, schema_editor: Any) -> None:
    measure = apps.get_model("ledger", "Measure")
    approval = apps.get_model("ledger", "Approval")
    latest = (
        approval.objects.filter(measure_id=OuterRef("pk"), kind__in=CLOSING)
        .values("measure_id")
        .annotate(at=Max("at"))
        .values("at")
    )
    measure.objects.filter(state__in=DONE).update(done_at=Subquery(latest))


class Migration(migrations.Migration):
    dependencies = [
        ("ledger", "0003_plan_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="measure",
            name="done_at",
            field=models.DateTimeField(
                blank=True, editable=False, null=True, verbose_name="完成时间"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
