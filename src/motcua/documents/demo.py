"""Demo center: a DEMO certificate authority, the deployment's DEMO certificate, and one DEMO signing certificate
per agency issued by that authority, to sign electronic results (no legal value)."""

from motcua.org.models import Agency

from . import signing
from .models import AgencyCertificate


def load():
    if not signing.is_configured():
        signing.create_demo_ca()
    have = set(AgencyCertificate.objects.values_list("agency_id", flat=True))
    for agency in Agency.objects.exclude(pk__in=have).order_by("pk"):
        signing.issue_demo_certificate(agency)
    return []
