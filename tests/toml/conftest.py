"""Hypothesis settings for the TOML reader's tests: fixed examples in CI, more on request."""

import os

from hypothesis import HealthCheck, settings

# The tests ask for settings.get_profile("thruway-toml") and scale max_examples from it, so no
# other test folder's Hypothesis settings change. THRUWAY_TOML_FUZZ=long runs 50 times as many
# examples, random ones, for a long search before a release.
if os.environ.get("THRUWAY_TOML_FUZZ") == "long":
    settings.register_profile(
        "thruway-toml", max_examples=5000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
else:
    settings.register_profile(
        "thruway-toml",
        max_examples=100,
        derandomize=True,
        database=None,
        deadline=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow],
    )
