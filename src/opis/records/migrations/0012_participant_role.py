"""A side of a recorded conversation or meeting: the participant role (titles such as "Record of
Conversation between Willesee and Callaghan")."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("records", "0011_index_followers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="agentrole",
            name="role",
            field=models.CharField(
                choices=[
                    ("author", "Author"),
                    ("signatory", "Signatory"),
                    ("addressee", "Addressee"),
                    ("intermediary", "Intermediary"),
                    ("alternative_recipient", "Alternative Recipient"),
                    ("copy_recipient", "Copy Recipient"),
                    ("mentioned", "Mentioned"),
                    ("participant", "Participant"),
                ],
                max_length=30,
            ),
        ),
    ]
