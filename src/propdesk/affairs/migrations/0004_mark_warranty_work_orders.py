"""Work orders opened for handover defects before the warranty flag existed are warranty repairs."""

from django.db import migrations


def mark(apps, schema_editor):
    WorkOrder = apps.get_model("service", "WorkOrder")
    HandoverLine = apps.get_model("affairs", "HandoverLine")
    ids = HandoverLine.objects.filter(work_order__isnull=False).values("work_order_id")
    WorkOrder.objects.filter(pk__in=ids).update(is_warranty=True)


class Migration(migrations.Migration):

    dependencies = [
        ("affairs", "0003_renovation_files"),
        ("service", "0007_workorder_is_warranty"),
    ]

    operations = [migrations.RunPython(mark, migrations.RunPython.noop)]
