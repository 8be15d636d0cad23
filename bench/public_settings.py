"""Settings of the gunicorn of the public-site and self-selection benchmarks: the project's, with
a URL configuration that adds the bare and floor views (bench/public_urls.py). Those views are
never part of the project's URLs."""

from tuanhang.settings import *  # noqa: F403

ROOT_URLCONF = "bench.public_urls"
