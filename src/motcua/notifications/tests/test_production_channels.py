"""Production mode (DEBUG off, no MOTCUA_DEMO_MODE): the SMS and Zalo sandboxes are not channels. Without
configuration only e-mail is on; a channel configured with a sandbox is off and the production checks refuse it."""

import pytest
from django.core import checks, mail
from django.test import override_settings

from motcua import safety
from motcua.dossiers import services as dossier_services
from motcua.dossiers.tests.factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet
from motcua.notifications.models import Notification
from motcua.notifications.notifiers import SmsSandboxNotifier, configured, notifier_for

pytestmark = pytest.mark.django_db

GATEWAY = {
    "plugin": "http_gateway",
    "url": "https://sms.example.vn/send",
    "token": "k9-issued-by-the-gateway",
}


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.MOTCUA_DEMO_MODE = False
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    settings.MOTCUA_SIGNING_PASSPHRASE = "a-passphrase-of-the-deployment"
    settings.SECRET_KEY = "x7-a-long-random-production-key-" + "q" * 30
    settings.MOTCUA_PAYMENT_GATEWAYS = {}
    return settings


def _serious_ids():
    return sorted({m.id for m in checks.run_checks(tags=[safety.TAG]) if m.is_serious()})


def test_production_without_configuration_has_email_only(production):
    assert set(configured()) == {"email"}
    assert notifier_for("sms") is None and notifier_for("zalo") is None
    assert notifier_for("email") is not None


def test_with_debug_or_demo_mode_the_sandboxes_are_the_default(settings):
    settings.MOTCUA_DEMO_MODE = False
    settings.DEBUG = True
    assert isinstance(notifier_for("sms"), SmsSandboxNotifier)
    settings.DEBUG = False
    settings.MOTCUA_DEMO_MODE = True
    assert isinstance(notifier_for("sms"), SmsSandboxNotifier)


def test_a_production_intake_writes_no_sandbox_rows(
    production, monday_morning, django_capture_on_commit_callbacks
):
    procedure = ProcedureWithProcessFactory()
    staff = StaffSet(procedure)
    applicant = ApplicantFactory(phone="0912345678", email="hoa@example.vn")
    with django_capture_on_commit_callbacks(execute=True):
        dossier = dossier_services.intake(procedure=procedure, applicant=applicant, actor=staff.officer)
    assert set(Notification.objects.filter(dossier=dossier).values_list("channel", flat=True)) == {"email"}
    assert len(mail.outbox) == 1


def test_a_sandbox_configured_explicitly_is_switched_off_in_production(production):
    production.MOTCUA_NOTIFIERS = {"email": {"plugin": "email"}, "sms": {"plugin": "sms_sandbox"}}
    assert notifier_for("sms") is None
    assert set(configured()) == {"email"}


@pytest.mark.parametrize(
    ("channels", "expected"),
    [
        ({"sms": {"plugin": "sms_sandbox"}}, ["motcua.E050"]),
        ({"zalo": {"plugin": "zalo_sandbox"}, "email": {"plugin": "email"}}, ["motcua.E050"]),
        ({"sms": GATEWAY | {"token": "sandbox-access-token"}}, ["motcua.E051"]),
        ({"sms": GATEWAY, "email": {"plugin": "email"}}, []),
        (None, []),
    ],
)
def test_the_production_checks_refuse_sandbox_channels_and_demo_tokens(production, channels, expected):
    with override_settings(MOTCUA_NOTIFIERS=channels):
        assert _serious_ids() == expected


def test_in_demo_mode_the_checks_accept_the_sandboxes(settings):
    settings.DEBUG = True
    settings.MOTCUA_NOTIFIERS = {"sms": {"plugin": "sms_sandbox"}}
    assert "motcua.E050" not in _serious_ids()
