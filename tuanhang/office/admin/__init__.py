"""Admin wiring of the staff office: the fairs with their booth parts, and the businesses and
applications with their booths (the booths app registers its own models in booths/admin), and
the login lockouts (django-axes), and django-celery-beat's schedules with forms that never 500."""

from . import access, fairs, lockouts, organisers, schedules, vendors  # noqa: F401  (each registers its models)
