"""Issue 18: the businesses' search text also holds their province (with the names of the provinces
merged into it in 2025) and commune, so that "dong thap", "Hải Dương" and a commune's name find
them (vendors/search.py). Rebuilds the stored texts; going back leaves them (they only find more)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from vendors.search import rebuild_search_texts

    rebuild_search_texts(apps.get_model("vendors", "Vendor"), bump_cache=False)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0007_erasure_and_consent"),
        ("events", "0002_reference_data"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
