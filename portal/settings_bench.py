"""Settings of `make bench` and `make soak` only: scripts/bench.py and scripts/soak.py start every
process with DJANGO_SETTINGS_MODULE=portal.settings_bench. Production settings, plus the knobs of the
benchmark; production (portal/settings.py) reads none of them. Never for a real server."""

from portal.settings import *  # noqa: F403
from portal.settings import env, env_bool

ROOT_URLCONF = "portal.urls_bench"
# The floor row of the bench: a constant page of this many bytes at /__bench__/floor/ (0: no such page).
BENCH_FLOOR_BYTES = int(env("BENCH_FLOOR_BYTES", "0"))
# The soak's robots answer the captcha "PASSED" (still a real, unused challenge, once).
CAPTCHA_TEST_MODE = env_bool("BENCH_CAPTCHA_TEST_MODE")
# Off (the bench's second server) to measure what counting views costs.
STATS_COUNTING_ENABLED = env_bool("STATS_COUNTING_ENABLED", True)
# The minimal floor of the bench (its third server): the same constant page through Django with no
# middleware at all, under the same gunicorn settings; what the portal's own stack costs is the gap.
if env_bool("BENCH_MINIMAL_FLOOR"):
    MIDDLEWARE = []
