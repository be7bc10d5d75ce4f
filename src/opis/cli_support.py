"""What every ``opis`` verb needs before its own work: Django pointed at the data directory, the
catalogue's tables in place, and one way of printing JSON. Kept apart from the verbs so that tool
verbs (``cli_tools``), benchmarks and test harnesses share it without importing the whole CLI.
"""

import json
from pathlib import Path

import click

from opis import config


def setup(data: str | None, migrate: bool = True) -> None:
    """Point Django at the data directory, then make sure the catalogue's tables exist.

    Every ``OPIS_*`` setting is checked first: a bad one stops the command before it starts."""
    config.configure_django(data)
    config.check()
    import django
    from django.conf import settings

    django.setup()
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    if migrate:
        from django.core.management import call_command
        from django.db import connection
        from django.db.migrations.executor import MigrationExecutor

        from opis.records.writer_lock import migration_lock

        with migration_lock():  # PostgreSQL: two commands started at once migrate one by one
            executor = MigrationExecutor(connection)
            if executor.migration_plan(executor.loader.graph.leaf_nodes()):
                call_command("migrate", verbosity=0, interactive=False)


def emit(payload: dict) -> None:
    click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
