"""Zone and BoothType moved from booths to events (issue 15) without losing a row, a permission or
admin history: the database is taken back to the layout before the move, filled, and migrated forward."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from booths.models import Booth
from events.models import Zone
from vendors.models import Application

BEFORE_MOVE = [
    ("events", "0005_programme_item"),
    ("vendors", "0003_search_trigram_indexes"),
    ("booths", "0003_assignment_pinned_allocationrules_allocationrun_and_more"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _leaf_nodes():
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()


def _fill_old_layout(old):
    """Rows as the booths app held them: a fair with a zone (with a category), a booth type, a booth,
    an application asking for that type and zone, a staff user granted 'change zone', a log entry.
    (contenttypes, auth and admin did not change: their own models write those.)"""
    Event, Category = old.get_model("events", "Event"), old.get_model("events", "Category")
    Organiser, Province = old.get_model("events", "Organiser"), old.get_model("events", "Province")
    OldZone, OldType = old.get_model("booths", "Zone"), old.get_model("booths", "BoothType")
    OldBooth = old.get_model("booths", "Booth")
    Vendor, OldApplication = old.get_model("vendors", "Vendor"), old.get_model("vendors", "Application")
    ZonePreference = old.get_model("vendors", "ZonePreference")

    organiser = Organiser.objects.create(name="Sở Công Thương Hải Phòng")
    province = Province.objects.get(code="31")  # Hải Phòng
    event = Event.objects.create(
        organiser=organiser,
        name="Tuần hàng thử",
        slug="tuan-hang-thu",
        venue="KCN VSIP Thủy Nguyên",
        province=province,
        registration_opens_at="2026-11-01T08:00:00+07:00",
        registration_closes_at="2026-12-01T17:00:00+07:00",
        opens_at="2026-12-20T08:00:00+07:00",
        closes_at="2026-12-24T22:00:00+07:00",
    )
    category = Category.objects.create(name="Nông sản", slug="nong-san-thu")
    zone = OldZone.objects.create(event=event, code="A", name="Khu OCOP", colour="#112233")
    zone.categories.add(category)
    booth_type = OldType.objects.create(event=event, code="standard", name="Gian tiêu chuẩn", price=3_000_000)
    OldBooth.objects.create(event=event, zone=zone, booth_type=booth_type, code="A01", x=0, y=0, row="A-1")
    vendor = Vendor.objects.create(name="HTX Thủy Nguyên", kind="HTX", tax_code="0200000001", province=province)
    application = OldApplication.objects.create(vendor=vendor, event=event, booth_type=booth_type)
    ZonePreference.objects.create(application=application, zone=zone, rank=1)
    zone_type, _ = ContentType.objects.get_or_create(app_label="booths", model="zone")
    permission, _ = Permission.objects.get_or_create(
        content_type=zone_type, codename="change_zone", defaults={"name": "Can change zone"}
    )
    reviewer = get_user_model().objects.create(username="reviewer", is_staff=True)
    reviewer.user_permissions.add(permission)
    LogEntry.objects.create(
        user=reviewer, content_type=zone_type, object_id=str(zone.pk), object_repr="A – Khu OCOP", action_flag=CHANGE
    )
    return zone.pk, booth_type.pk, application.pk


@pytest.mark.django_db(transaction=True)
def test_zone_and_booth_type_rows_survive_the_move_to_events():
    leaves = _leaf_nodes()
    old = _migrate(BEFORE_MOVE)
    zone_pk, type_pk, application_pk = _fill_old_layout(old)

    _migrate(leaves)
    ContentType.objects.clear_cache()

    zone = Zone.objects.get(pk=zone_pk)
    assert (zone.code, zone.name, zone.colour) == ("A", "Khu OCOP", "#112233")
    assert [c.name for c in zone.categories.all()] == ["Nông sản"]
    booth = Booth.objects.select_related("zone", "booth_type").get(code="A01")
    assert (booth.zone.pk, booth.booth_type.pk, booth.booth_type.price) == (zone_pk, type_pk, 3_000_000)
    application = Application.objects.get(pk=application_pk)
    assert application.booth_type.name == "Gian tiêu chuẩn"
    assert [p.zone.code for p in application.zone_ranks.all()] == ["A"]

    zone_type = ContentType.objects.get_for_model(Zone)
    assert (zone_type.app_label, zone_type.model) == ("events", "zone")
    assert not ContentType.objects.filter(app_label="booths", model__in=["zone", "boothtype"]).exists()
    reviewer = Permission.objects.get(content_type=zone_type, codename="change_zone").user_set.get()
    assert reviewer.has_perm("events.change_zone")
    entry = LogEntry.objects.get(object_id=str(zone_pk))
    assert (entry.content_type, entry.get_edited_object()) == (zone_type, zone)
