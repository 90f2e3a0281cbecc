"""Suite-wide test settings.

Hypothesis: no per-example deadline (CI machines are shared and slow), and in CI a derandomised search, so
that a run is reproducible and a green commit stays green; developers get fresh random examples locally.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.register_profile(
    "ci", deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow], print_blob=True
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
