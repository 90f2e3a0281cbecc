"""Hooks into the dossier lifecycle."""


def digitise_received_components(sender, dossier, documents, rows, actor, historical, **kwargs):
    from .services import digitise_intake

    digitise_intake(dossier, documents, rows, actor, historical)
