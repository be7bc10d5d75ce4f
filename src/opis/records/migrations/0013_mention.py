"""Persons of the authority named in a document's text, linked at ingest with a confidence
(``records.models.Mention``, ``understand.mentions``)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0012_participant_role"),
    ]

    operations = [
        migrations.CreateModel(
            name="Mention",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("person_id", models.CharField(db_index=True, max_length=120)),
                (
                    "form",
                    models.CharField(help_text='As written: "Generalissimo Chiang".', max_length=300),
                ),
                (
                    "confidence",
                    models.FloatField(help_text="0-1: how sure the link is (understand.mentions)."),
                ),
                (
                    "text_position",
                    models.PositiveIntegerField(default=0, help_text="Which of its texts."),
                ),
                (
                    "start",
                    models.PositiveIntegerField(
                        help_text="Where the form first stands in that text."
                    ),
                ),
                ("end", models.PositiveIntegerField()),
                (
                    "count",
                    models.PositiveIntegerField(
                        default=1, help_text="How often the form stands there."
                    ),
                ),
                (
                    "document",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="mentions",
                        to="records.document",
                    ),
                ),
            ],
            options={
                "ordering": ["text_position", "start"],
            },
        ),
    ]
