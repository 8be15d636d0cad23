"""Writes for booths, one module per part: core (assign, confirm, release), floorplan, selection,
allocation. The core ones are re-exported here."""

from .core import (  # noqa: F401
    BoothTaken,
    assignment_confirm,
    assignment_release,
    assignments_release_for_application,
    booth_assign,
)
