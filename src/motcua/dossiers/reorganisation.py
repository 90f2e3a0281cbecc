"""What dossiers move when a reorganisation merges an agency into another (registered with
`motcua.org.reorganisation` at `DossiersConfig.ready()`)."""

from .services import move_open_dossiers


def move_dossiers(merge) -> None:
    """Every dossier of the merged agency that is not closed moves to the successor (see `move_open_dossiers`)."""
    merge.outcome.dossiers += move_open_dossiers(
        merge.old, merge.into, basis=merge.basis, at=merge.at, actor=merge.actor
    )
