"""Admin for zones, booth types, booths and booth assignments: floorplan (the fair's inlines,
zones, booth types, booths) and assignments (assignments, hall features, allocation rules, runs
and the change log).

A booth is only given through booths.services.booth_assign: the assignment add form checks
the booth is free and save_model calls the service. Existing assignments are a record and are
shown read-only."""

from . import assignments  # noqa: F401 (registers its models)
from .floorplan import BoothSummaryInline, BoothTypeInline, ZoneInline

__all__ = ["BoothSummaryInline", "BoothTypeInline", "ZoneInline"]
