"""Write an outbox row in the same transaction as every dossier event (post_save runs inside `_append_event`'s
atomic block, so a rolled-back change leaves no message behind)."""

from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.signals import components_received

from . import conf
from .models import OutboxMessage


@receiver(post_save, sender=DossierEvent, dispatch_uid="national_portal.enqueue_event")
def enqueue_event(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw or not conf.is_enabled():
        return
    OutboxMessage.objects.create(
        dossier_id=instance.dossier_id, event=instance, next_attempt_at=timezone.now()
    )


@receiver(components_received, dispatch_uid="national_portal.note_inbound_files")
def note_inbound_files(sender, dossier, **kwargs):
    """An inbound portal dossier's files are in storage: remember them in case its transaction rolls back."""
    from .inbound import note_stored_files

    note_stored_files(dossier)
