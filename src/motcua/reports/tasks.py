"""Background work of the reports (Django's Tasks API, django-tasks)."""

from django_tasks import task


@task()
def refresh_facts() -> int:
    """Rebuild the statistics facts of every dossier changed since the last run (`facts.drain`); returns how
    many dossiers were rebuilt. Queued once for a burst of changes (`motcua.background.enqueue_soon`)."""
    from .facts import drain

    return drain()
