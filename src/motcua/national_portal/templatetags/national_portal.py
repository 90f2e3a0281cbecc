from django import template

from motcua.national_portal import conf, outbox

register = template.Library()


@register.inclusion_tag("national_portal/_dossier_sync.html")
def portal_sync_state(dossier):
    """The dossier's sync state with the National Public Service Portal (shown when the connector is on), and
    the portal's code when the dossier was submitted there."""
    from motcua.national_portal.models import InboundDossier

    inbound = InboundDossier.objects.filter(dossier=dossier).first()
    if not conf.is_enabled() and not dossier.portal_messages.exists():
        return {"state": None, "inbound": inbound}
    return {"state": outbox.sync_state(dossier), "dossier": dossier, "inbound": inbound}
