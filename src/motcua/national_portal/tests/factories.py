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
