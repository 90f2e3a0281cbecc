import pytest

from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def procedure(db):
    return ProcedureWithProcessFactory(name="Đăng ký hộ kinh doanh")


@pytest.fixture
def staff(procedure):
    return StaffSet(procedure)
