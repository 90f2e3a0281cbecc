"""Production checks of result signing (see motcua.safety): no demo certificate, a passphrase of its own."""

from django.conf import settings
from django.core import checks

from motcua import safety

from . import signing


def _is_demo_certificate(path) -> bool:
    from cryptography import x509
    from cryptography.x509.oid import NameOID

    try:
        certificate = x509.load_pem_x509_certificate(path.read_bytes())
    except (OSError, ValueError):
        return False
    for name in (certificate.subject, certificate.issuer):
        units = name.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)
        if any(unit.value == signing.DEMO_MARK for unit in units):
            return True
    return False


@safety.register
def signing_is_not_a_demo(app_configs=None, **kwargs):
    if safety.demo_allowed():
        return []
    errors = []
    if not (getattr(settings, "MOTCUA_SIGNING_PASSPHRASE", "") or ""):
        errors.append(
            checks.Error(
                "MOTCUA_SIGNING_PASSPHRASE is not set: the stored signing keys would be protected by a "
                "passphrase derived from SECRET_KEY.",
                hint="Set MOTCUA_SIGNING_PASSPHRASE to a long random value and keep it apart from SECRET_KEY.",
                id="motcua.E030",
            )
        )
    for path in signing._paths():
        if path.exists() and _is_demo_certificate(path):
            errors.append(
                checks.Error(
                    f"The signing certificate {path.name} is a DEMO certificate with no legal value.",
                    hint="Install the certificates issued by the deployment's certification authority "
                    "(MOTCUA_SIGNING_CERT, MOTCUA_SIGNING_TRUST_ROOT).",
                    id="motcua.E031",
                )
            )
    return errors
