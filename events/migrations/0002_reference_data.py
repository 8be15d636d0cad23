from django.db import migrations


def load(apps, schema_editor):
    from events.reference import load_reference_data

    load_reference_data(
        apps.get_model("events", "Province"), apps.get_model("events", "ProvinceAlias"), apps.get_model("events", "Commune")
    )


class Migration(migrations.Migration):
    dependencies = [("events", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
