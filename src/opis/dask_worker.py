"""What a Dask scheduler and its workers load before they handle opis's work: ``dask scheduler
--preload opis.dask_worker`` and ``dask worker ADDRESS --preload opis.dask_worker``
(docs/deploying.md).

Reading a file ends in checking its drafts against the catalogue's field sizes, which needs
Django's models, so every worker sets Django up once when it starts, as the ``opis`` command
does, before any of opis's reading code is imported there; the scheduler too, since it unpacks
each task (which names opis's reading function) to place it. The worker never opens the
catalogue: only the ingest that sent the work writes (``opis.ingest.cluster``).
"""

import django

from opis import config


def dask_setup(worker) -> None:
    """Dask calls this in the scheduler and in each worker process at start (a preload
    module's hook)."""
    config.configure_django()
    django.setup()
