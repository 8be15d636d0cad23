"""Admin wiring of the staff office: the fairs with their booth parts, and the businesses and
applications with their booths (the booths app registers its own models in booths/admin), and
the login lockouts (django-axes)."""

from . import access, fairs, lockouts, organisers, vendors  # noqa: F401  (each registers its models)
