"""A dossier received at a counter is linked to the ticket its officer is serving (in the intake's transaction:
`post_save` of the event runs inside it, so a rolled-back intake leaves no link)."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from motcua.dossiers.models import DossierEvent
from motcua.dossiers.states import Channel

from .services import link_received_dossier

COUNTER_RECEPTION_ACTIONS = {"receive", "refuse_intake"}


@receiver(post_save, sender=DossierEvent, dispatch_uid="tickets.link_received_dossier")
def link_dossier_to_ticket(sender, instance: DossierEvent, created: bool, raw: bool = False, **kwargs):
    if not created or raw or instance.action not in COUNTER_RECEPTION_ACTIONS or instance.actor_id is None:
        return
    dossier = instance.dossier
    if dossier.channel != Channel.COUNTER:
        return
    link_received_dossier(dossier, instance.actor, now=instance.at)
