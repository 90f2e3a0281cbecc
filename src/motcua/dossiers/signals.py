"""Signals other parts (notifiers, the national-portal connector, monitoring) listen to.

`dossier_changed` is sent after the transaction that changed a dossier has committed, once per event, with
``dossier`` and ``event`` as keyword arguments. Receivers never run for a change that was rolled back.
"""

from django.dispatch import Signal

dossier_changed = Signal()

components_received = Signal()
"""Sent inside the intake transaction, after the components (`DossierDocument` rows) are saved, with ``dossier``,
``documents`` (the input rows), ``rows`` (the saved components, same order), ``actor`` and ``historical``. A
receiver that raises (e.g. a ValidationError because a component that must be digitised has no scan) rolls the
whole intake back. The documents app digitises the scanned pages here."""

intake_offer_providers: list = []
"""Callables ``(id_type, id_number, procedure) -> {required_document_id: [documents]}``: the documents the
applicant already holds that the counter's intake form offers to re-use. The documents app registers its
e-repository at its ready(); with none registered the form offers nothing."""
