import factory

from motcua.dossiers.models import Applicant


class ApplicantFactory(factory.django.DjangoModelFactory):
    """A citizen with a visibly fake CCCD (province 027, serial 9xxxxx)."""

    class Meta:
        model = Applicant

    applicant_type = Applicant.Type.CITIZEN
    name = factory.Sequence(lambda n: f"Nguyễn Văn Mẫu {n}")
    id_type = Applicant.IdType.CCCD
    id_number = factory.Sequence(lambda n: f"027090{900000 + n:06d}")
    phone = factory.Sequence(lambda n: f"091{n:07d}")
    address = "Thôn Mẫu, xã Đại Bái, huyện Gia Bình, tỉnh Bắc Ninh"


class OrganisationApplicantFactory(ApplicantFactory):
    applicant_type = Applicant.Type.ORGANISATION
    name = factory.Sequence(lambda n: f"Công ty TNHH Mẫu {n}")
    id_type = Applicant.IdType.TAX_CODE
    tax_code = factory.Sequence(lambda n: f"2300{n:06d}")
    id_number = factory.SelfAttribute("tax_code")
    representative = "Trần Văn Đại Diện"


# --- dossiers ---------------------------------------------------------------------------------------------

from motcua.accounts.tests.factories import UserFactory  # noqa: E402
from motcua.catalog.processes import set_standard_process  # noqa: E402
from motcua.catalog.tests.factories import FieldFactory  # noqa: E402
from motcua.org.models import Role, StaffAssignment  # noqa: E402
from motcua.org.tests.factories import AgencyFactory  # noqa: E402


class ProcedureWithProcessFactory(factory.django.DjangoModelFactory):
    """A published procedure of 3 working days with the standard six-step process (and the "5 tại chỗ" one
    when `five_on_the_spot`)."""

    class Meta:
        model = "catalog.Procedure"
        django_get_or_create = ("code",)
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"8.{n:06d}")
    name = factory.Sequence(lambda n: f"Cấp giấy chứng nhận thử nghiệm số {n}")
    field = factory.SubFactory(FieldFactory)
    resolving_agency = factory.SubFactory(AgencyFactory)
    levels = "district"
    time_limit_value = 3
    time_limit_unit = "working_days"
    online_level = "partial"
    status = "published"
    on_the_spot = False

    @factory.post_generation
    def processes(obj, create, extracted, **kwargs):
        if not create:
            return
        set_standard_process(obj, "normal")
        if obj.on_the_spot:
            set_standard_process(obj, "on_the_spot")


def grant(user, role: str, agency) -> None:
    """Give `user` a role at an agency (valid from today, no end)."""
    StaffAssignment.objects.get_or_create(user=user, role=role, agency=agency)


class StaffSet:
    """One reception officer at the receiving agency, and a specialist, a leader and a clerk at the resolving one."""

    def __init__(self, procedure, receiving_agency=None):
        self.receiving = receiving_agency or procedure.resolving_agency
        self.resolving = procedure.resolving_agency
        self.officer = UserFactory(full_name="Lê Thị Tiếp Nhận")
        self.specialist = UserFactory(full_name="Phạm Văn Chuyên Viên")
        self.leader = UserFactory(full_name="Hoàng Văn Lãnh Đạo")
        self.clerk = UserFactory(full_name="Đỗ Thị Văn Thư")
        grant(self.officer, Role.RECEPTION_OFFICER, self.receiving)
        grant(self.specialist, Role.SPECIALIST, self.resolving)
        grant(self.leader, Role.LEADER, self.resolving)
        grant(self.clerk, Role.CLERK, self.resolving)

    def for_role(self, role: str):
        return {
            Role.RECEPTION_OFFICER: self.officer,
            Role.SPECIALIST: self.specialist,
            Role.LEADER: self.leader,
            Role.CLERK: self.clerk,
        }[role]


def make_dossier(procedure=None, actor=None, **kwargs):
    """A dossier received now through the intake service (by a superuser unless `actor` is given)."""
    from motcua.dossiers import services

    procedure = procedure or ProcedureWithProcessFactory()
    actor = actor or UserFactory(username="quantri", is_superuser=True, is_staff=True)
    applicant = kwargs.pop("applicant", None) or ApplicantFactory()
    return services.intake(procedure=procedure, applicant=applicant, actor=actor, **kwargs)
