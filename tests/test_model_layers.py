"""The model graph obeys the layers too. Import-linter (make lint) sees imports, not the string
references of relations ("events.Zone") or apps.get_model(), so this walks every relation of every
model of ours (foreign keys, one-to-ones, many-to-manys and their through models) and fails on one
that points up the layers: kernel < events < vendors < booths < the roof (office, public)."""

from django.apps import apps

# App label → layer, bottom to top. The roof's apps (reminders and reports of the office) may point
# anywhere below them.
LAYER = {"events": 1, "vendors": 2, "booths": 3, "office": 4, "public": 4, "reminders": 4, "reports": 4}


def _ours(model) -> bool:
    return model._meta.app_label in LAYER


def _relations():
    """(model, field name, related model) for every relation our models declare, through models included."""
    for model in apps.get_models(include_auto_created=True):
        if not _ours(model):
            continue
        for field in model._meta.get_fields(include_hidden=True):
            if field.is_relation and field.concrete and field.related_model is not None:
                yield model, field.name, field.related_model
            if field.many_to_many and not field.auto_created:
                through = field.remote_field.through
                yield model, f"{field.name} (through)", through


def upward_relations():
    found = []
    for model, name, related in _relations():
        if _ours(related) and LAYER[related._meta.app_label] > LAYER[model._meta.app_label]:
            found.append(f"{model._meta.label}.{name} -> {related._meta.label}")
    return sorted(found)


def test_no_relation_points_up_the_layers():
    assert upward_relations() == []


def test_the_walk_sees_relations_across_every_layer():
    """The walk is not empty-handed: it sees the downward relations that exist (so a regression that
    made it skip models would fail here instead of passing the test above silently)."""
    pairs = {(m._meta.app_label, r._meta.app_label) for m, _name, r in _relations() if _ours(r)}
    assert {("vendors", "events"), ("booths", "vendors"), ("booths", "events"), ("reminders", "vendors")} <= pairs
    through = {name for _model, name, _related in _relations() if name.endswith("(through)")}
    assert "zone_preferences (through)" in through


def test_an_upward_relation_is_reported(monkeypatch):
    """Control: with booths placed below vendors, Assignment.application (booths -> vendors) is upward."""
    monkeypatch.setitem(LAYER, "booths", 0)
    assert "booths.Assignment.application -> vendors.Application" in upward_relations()
