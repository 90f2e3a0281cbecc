"""Demo data hook (`motcua load_demo`): compute the due instants of the demo's open dossiers, whichever way
they were written."""

from . import watch


def load() -> None:
    watch.refresh_all()
