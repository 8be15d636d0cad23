"""Settings of the public-site benchmark's gunicorn: the project's, with a URL configuration that
adds a bare view (bench/public_urls.py). The bare view is never part of the project's URLs."""

from tuanhang.settings import *  # noqa: F403

ROOT_URLCONF = "bench.public_urls"
