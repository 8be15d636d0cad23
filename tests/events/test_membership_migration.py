"""An existing database migrates forward into teams (issue 16): Organiser.staff members become
members with the full role, and staff accounts of no organiser are named in the output."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from events.models import Membership
from events.policy import fairs_for

BEFORE_TEAMS = [("events", "0006_zone_and_booth_type_from_booths")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_organiser_staff_become_administrators_and_staff_of_no_organiser_are_named(capsys):
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    old = _migrate(BEFORE_TEAMS)
    Organiser = old.get_model("events", "Organiser")
    User = get_user_model()
    head = User.objects.create(username="giamdoc", is_staff=True)
    alone = User.objects.create(username="canbo-le", is_staff=True)
    organiser = Organiser.objects.create(name="Sở Công Thương Hải Phòng")
    organiser.staff.add(head.pk)

    capsys.readouterr()
    _migrate(leaves)
    out = capsys.readouterr().out

    membership = Membership.objects.get(user=head)
    assert (membership.organiser.name, membership.role) == ("Sở Công Thương Hải Phòng", Membership.Role.ADMIN)
    assert not Membership.objects.filter(user=alone).exists()
    assert list(fairs_for(alone)) == []
    assert "1 organiser staff account(s) became members" in out
    assert "belong to no organiser and now see no fair" in out and "canbo-le" in out
