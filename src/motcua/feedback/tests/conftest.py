import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def clear_cache(db):
    """Throttle counters live in the shared cache: every test starts from none."""
    cache.clear()
    yield
    cache.clear()
