"""Demo center: a DEMO certificate authority and agency certificate to sign electronic results (no legal value)."""

from . import signing


def load():
    if not signing.is_configured():
        signing.create_demo_ca()
    return []
