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
