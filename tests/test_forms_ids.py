import pytest

from events.models import Category
from tests.factories import CategoryFactory
from tuanhang.kernel.forms import IdChoiceField, IdMultipleChoiceField

HUGE = "9" * 40


@pytest.mark.parametrize("value", [HUGE, "１２", "1e3", "-1", " 1"])
def test_id_fields_refuse_ids_the_database_cannot_hold(db, value):
    single = IdChoiceField(queryset=Category.objects.all())
    multiple = IdMultipleChoiceField(queryset=Category.objects.all())
    for field, data in ((single, value), (multiple, [value])):
        with pytest.raises(Exception) as exc:
            field.clean(data)
        assert exc.type.__name__ == "ValidationError"


def test_id_fields_accept_real_ids(db):
    category = CategoryFactory()
    assert IdChoiceField(queryset=Category.objects.all()).clean(str(category.pk)) == category
    assert list(IdMultipleChoiceField(queryset=Category.objects.all()).clean([str(category.pk)])) == [category]
