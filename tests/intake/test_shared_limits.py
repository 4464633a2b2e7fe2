"""The status page's limits hold across processes: each counts in the shared cache (Redis), so
two workers (or twenty) enforce one limit, not one each.

Two Python processes, started together, count into one Redis database through Django's cache
API. Skipped when the Redis client library is not installed or no Redis answers.
"""

import importlib.util
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# A database number of its own, and a key prefix per run: nothing else's keys are touched.
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _redis_answers(url: str) -> bool:
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname, parts.port or 6379), timeout=1) as conn:
            conn.sendall(b"PING\r\n")
            return conn.recv(16).startswith(b"+PONG")
    except OSError:
        return False


pytestmark = [
    pytest.mark.skipif(
        importlib.util.find_spec("redis") is None,
        reason="the Redis client library is not installed (`pip install -r requirements.txt` "
        "with redis in it): Django's Redis cache needs it to count across processes",
    ),
    pytest.mark.skipif(
        not _redis_answers(REDIS_URL),
        reason=f"no Redis answers at {REDIS_URL} (set TEST_REDIS_URL to one)",
    ),
]

# One process: wait for the common start, count, print what it saw as JSON.
WORKER = """
import json, os, sys, time
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from django.test.utils import override_settings
from intake import receipts

url, prefix, start, lookups, increments = sys.argv[1:6]
cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
         "KEY_PREFIX": prefix}
with override_settings(CACHES={"default": cache}, LOOKUP_RATE_LIMIT=20):
    request = RequestFactory().post("/tra-cuu/", REMOTE_ADDR="203.0.113.9")
    while time.time() < float(start):
        time.sleep(0.001)
    allowed = sum(receipts.lookup_allowed(request) for _ in range(int(lookups)))
    for _ in range(int(increments)):
        receipts.shared_count("both-count-here", timeout=60)
    print(json.dumps({"allowed": allowed}))
"""


def _run_two(lookups: int, increments: int) -> tuple[list[dict], str]:
    # Not in the last seconds of a minute: the per-address window must not turn mid-test.
    while time.time() % 60 > 50:
        time.sleep(0.5)
    prefix = f"onestop-test-{uuid.uuid4().hex[:12]}"
    start = time.time() + 3  # both interpreters are up by then
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "PYTHONPATH": "."}
    args = [sys.executable, "-c", WORKER, REDIS_URL, prefix, str(start)]
    processes = [
        subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [*args, str(lookups), str(increments)],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results, prefix


def test_two_processes_enforce_one_lookup_limit_and_lose_no_count():
    from django.core.cache.backends.redis import RedisCache

    results, prefix = _run_two(lookups=30, increments=500)

    # 60 lookups from one address within a minute, limit 20: 20 pass in all, not 20 each.
    assert sum(r["allowed"] for r in results) == 20, results
    counter = RedisCache(REDIS_URL, {"KEY_PREFIX": prefix})
    try:
        assert counter.get("both-count-here") == 1000  # two × 500 increments, none lost
    finally:
        counter.delete("both-count-here")
