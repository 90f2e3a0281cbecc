"""Factories for the connector's tests: dossiers from the dossiers app's factories, driven by real transitions."""

from motcua.dossiers import services
from motcua.dossiers.tests.factories import (  # noqa: F401  (re-exported for the tests)
    ApplicantFactory,
    OrganisationApplicantFactory,
    ProcedureWithProcessFactory,
)


def received(procedure, actor, **applicant_fields):
    return services.intake(procedure=procedure, applicant=ApplicantFactory(**applicant_fields), actor=actor)


def advanced_to_the_end(dossier, actor):
    """Receive → appraise → approve → issue → result ready → returned, through the real transitions."""
    for _step in range(4):
        dossier = services.advance(dossier, actor, note="Đã xử lý")
    return services.return_result(dossier, actor)


def citizen_with_an_online_dossier(procedure, actor, id_number: str, name: str = "Nguyễn Văn Thử"):
    """A local citizen account (CCCD `id_number`) whose online submission was received (it has a code)."""
    from django.utils import timezone

    from motcua.accounts.tests.factories import UserFactory
    from motcua.citizens.models import CitizenProfile, Submission

    applicant = ApplicantFactory(id_number=id_number, name=name)
    user = UserFactory(username=id_number, full_name=name)
    CitizenProfile.objects.create(user=user, applicant=applicant)
    dossier = services.submit_online(procedure=procedure, applicant=applicant)
    dossier = services.receive(dossier, actor)
    Submission.objects.create(
        user=user,
        procedure=procedure,
        dossier=dossier,
        state=Submission.State.SUBMITTED,
        submitted_at=timezone.now(),
    )
    return user, dossier


def payment_request(reference: str, amount: int):
    """An INIT request of the payment platform for one fee line."""
    from datetime import datetime

    from motcua.integrations.payment import PaymentRequest, protocol

    return PaymentRequest(
        reference=reference,
        amount=amount,
        description="THANH TOAN HO SO 000.01.99.H06-261128-0001",
        created_at=datetime.now(protocol.VIETNAM),
        callback_url="http://127.0.0.1:9/cb",
        return_url="http://127.0.0.1:9/back",
        items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": amount, "quantity": 1}],
    )
