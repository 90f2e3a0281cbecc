import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MOTCUA_OUTBOX_DIR = tmp_path / "outbox"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def clear_cache(db):
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def monday_morning():
    """Monday 07/11/2022, 09:00 in Gia Bình: an ordinary working morning (time moves on)."""
    import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    start = datetime.datetime(2022, 11, 7, 9, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller
