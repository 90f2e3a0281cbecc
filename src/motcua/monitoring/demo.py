"""Demo data hook (`motcua load_demo`): compute the due instants of the demo's open dossiers and of the
recommendations awaiting an answer, whichever way they were written."""

from . import recommendation_watch, watch


def load() -> None:
    watch.refresh_all()
    recommendation_watch.refresh_all()
