from events.models import Province
from tests.factories import ApplicationFactory


def test_reference_data_has_34_units(db):
    assert Province.objects.count() == 34


def test_factories_build_a_consistent_application(db):
    application = ApplicationFactory()
    assert application.vendor.province.name == "Hải Phòng"
    assert application.owed.due == 2_500_000
