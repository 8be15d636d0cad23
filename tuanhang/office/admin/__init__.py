"""Admin wiring of the staff office: the fair admin with its booth and application parts."""

from . import fairs  # noqa: F401  (registers the fair admin and the reference data)
