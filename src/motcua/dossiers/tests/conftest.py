import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.accounts.tests.factories import UserFactory
from motcua.apitokens.models import ApiToken

from .factories import ProcedureWithProcessFactory, StaffSet

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


@pytest.fixture
def monday_morning():
    """Monday 07/11/2022, 09:00 in Gia Bình: an ordinary working morning."""
    with time_machine.travel(datetime.datetime(2022, 11, 7, 9, 0, tzinfo=HCM), tick=False) as traveller:
        yield traveller


@pytest.fixture
def procedure(db):
    return ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")


@pytest.fixture
def staff(procedure):
    return StaffSet(procedure)


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True, full_name="Quản trị hệ thống")


def bearer(user) -> dict:
    _row, token = ApiToken.issue(user)
    return {"HTTP_AUTHORIZATION": f"Bearer {token}"}


@pytest.fixture
def rules_2025_since_2022(db):
    """Every dossier received from 01/01/2022 on follows Decree 118/2025 (a nationwide regime period): the 2025
    forms on the 2022 test days."""
    from motcua.dossiers.models import RegimePeriod

    return RegimePeriod.objects.create(
        regime="2025", valid_from=datetime.date(2022, 1, 1), basis="Thử nghiệm"
    )
