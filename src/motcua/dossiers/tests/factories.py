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
