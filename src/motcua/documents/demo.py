"""Demo center: a DEMO certificate authority, the deployment's DEMO certificate, and one DEMO signing certificate
per agency issued by that authority, to sign electronic results (no legal value)."""

from . import signing


def load():
    if not signing.is_configured():
        signing.create_demo_ca()
    signing.issue_missing_demo_certificates()
    return []
