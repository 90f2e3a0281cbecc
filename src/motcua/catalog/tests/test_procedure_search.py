import pytest

from motcua.catalog.models import SearchTerm, search_terms
from motcua.catalog.search import ProcedureFilters, search_procedures

from .factories import AgencyFactory, FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def codes(q: str, **filters) -> list[str]:
    return [p.code for p in search_procedures(ProcedureFilters(q=q, **filters))]


@pytest.fixture
def catalog():
    justice = AgencyFactory(name="Phòng Tư pháp", short_name="TP")
    field = FieldFactory(code="ho-tich", name="Hộ tịch")
    ProcedureFactory(code="1.001193", name="Đăng ký khai sinh", field=field, resolving_agency=justice)
    ProcedureFactory(
        code="1.000689",
        name="Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
        field=field,
        resolving_agency=justice,
    )
    ProcedureFactory(code="1.000656", name="Đăng ký khai tử", field=field, resolving_agency=justice)
    ProcedureFactory(code="2.002481", name="Chuyển trường đối với học sinh trung học cơ sở")


def test_search_terms_are_the_word_prefixes_of_two_letters_or_more():
    assert search_terms("dang ky 1.00") == {"da", "dan", "dang", "ky", "1.", "1.0", "1.00"}


def test_words_match_as_prefixes_in_any_order(catalog):
    assert codes("kha sinh dang") == ["1.001193", "1.000689"]
    assert codes("khai") == ["1.000656", "1.001193", "1.000689"]
    assert codes("sinh khai") == ["1.001193", "1.000689"]  # same words in another order rank first


def test_search_matches_code_field_and_agency_words(catalog):
    assert codes("1.001193") == ["1.001193"]
    assert codes("1.0011") == ["1.001193"]
    assert set(codes("ho tich")) == {"1.001193", "1.000689", "1.000656"}
    assert set(codes("phong tu phap")) == {"1.001193", "1.000689", "1.000656"}


def test_a_word_inside_another_word_does_not_match(catalog):
    assert codes("inh") == []  # "sinh" contains it, but no word starts with it


def test_renaming_a_field_reindexes_its_procedures(catalog):
    from motcua.catalog.models import Field

    field = Field.objects.get(code="ho-tich")
    field.name = "Hộ tịch và quốc tịch"
    field.save()
    assert set(codes("quoc tich")) == {"1.001193", "1.000689", "1.000656"}


def test_deleting_a_procedure_removes_its_terms(catalog):
    ProcedureFactory(code="9.000001", name="Thủ tục xoá").delete()
    assert not SearchTerm.objects.filter(term="xoa").exists()
