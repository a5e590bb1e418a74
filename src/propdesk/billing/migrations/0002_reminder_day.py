import datetime

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="reminder",
            name="day",
            field=models.DateField(default=datetime.date(2000, 1, 1), verbose_name="day"),
            preserve_default=False,
        ),
        migrations.AlterModelOptions(
            name="reminder",
            options={"ordering": ["-day", "-id"], "verbose_name": "reminder", "verbose_name_plural": "reminders"},
        ),
    ]
