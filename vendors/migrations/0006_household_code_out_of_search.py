"""A household's tax code is its owner's personal ID number (issue 17): it leaves the folded search
text that the public directory and the staff searches look in (Vendor.save no longer puts it there)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from tuanhang.kernel.vn import fold

    Vendor = apps.get_model("vendors", "Vendor")
    households = list(Vendor.objects.filter(kind="HKD").only("pk", "name", "short_name"))
    for vendor in households:
        vendor.search_text = fold(f"{vendor.name} {vendor.short_name} ")
    Vendor.objects.bulk_update(households, ["search_text"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("vendors", "0005_shared_registry")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
