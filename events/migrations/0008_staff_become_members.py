"""Organiser.staff members become members of their organiser with the full role (issue 16).

A staff account that belongs to no organiser sees no fair from now on until it is given one; the
migration names those accounts in its output."""

from django.conf import settings
from django.db import migrations


def staff_to_members(apps, schema_editor):
    Organiser = apps.get_model("events", "Organiser")
    Membership = apps.get_model("events", "Membership")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    db = schema_editor.connection.alias
    made = 0
    for organiser in Organiser.objects.using(db).prefetch_related("staff"):
        for user in organiser.staff.all():
            _, created = Membership.objects.using(db).get_or_create(
                organiser=organiser, user=user, defaults={"role": "admin"}
            )
            made += created
    alone = list(
        User.objects.using(db)
        .filter(is_staff=True, is_superuser=False, organiser_memberships__isnull=True)
        .order_by("username")
        .values_list("username", flat=True)
    )
    if made:
        print(f"\n  {made} organiser staff account(s) became members with the full role (admin).")
    if alone:
        print(
            f"\n  {len(alone)} staff account(s) belong to no organiser and now see no fair until an organiser"
            f" adds them: {', '.join(alone[:20])}{' …' if len(alone) > 20 else ''}"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("events", "0007_organiser_memberships"),
    ]

    operations = [
        migrations.RunPython(staff_to_members, migrations.RunPython.noop),
    ]
