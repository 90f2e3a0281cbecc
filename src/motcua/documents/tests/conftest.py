import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers.tests.factories import ProcedureWithProcessFactory, StaffSet


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    return settings.MEDIA_ROOT


@pytest.fixture
def monday_morning():
    start = datetime.datetime(2022, 11, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


@pytest.fixture
def procedure(db):
    return ProcedureWithProcessFactory(
        name="Đăng ký hộ kinh doanh", result_type="Giấy chứng nhận đăng ký hộ kinh doanh"
    )


@pytest.fixture
def staff(procedure):
    return StaffSet(procedure)


@pytest.fixture
def demo_ca(settings):
    from motcua.documents import signing

    signing.create_demo_ca()
    return settings.MOTCUA_SIGNING_DIR
