"""Settings for benchmarks: the normal settings plus a bare JSON view to compare the API with."""

from chainlead.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
DEBUG = False
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405
