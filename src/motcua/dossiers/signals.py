"""Signals other parts (notifiers, the national-portal connector, monitoring) listen to.

`dossier_changed` is sent after the transaction that changed a dossier has committed, once per event, with
``dossier`` and ``event`` as keyword arguments. Receivers never run for a change that was rolled back.
"""

from django.dispatch import Signal

dossier_changed = Signal()
