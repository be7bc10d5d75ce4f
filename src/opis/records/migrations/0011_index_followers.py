"""The index log kept for several indexes: a registry of followers, the log's age indexed."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0010_researcher_workspace"),
    ]

    operations = [
        migrations.AlterField(
            model_name="indexchange",
            name="queued_at",
            field=models.DateTimeField(auto_now_add=True, db_index=True),
        ),
        migrations.CreateModel(
            name="IndexFollower",
            fields=[
                ("id", models.CharField(max_length=64, primary_key=True, serialize=False)),
                ("place", models.CharField(max_length=1000)),
                ("applied", models.BigIntegerField(default=0)),
                ("seen_at", models.DateTimeField()),
                ("registered_at", models.DateTimeField(auto_now_add=True)),
            ],
        ),
    ]
