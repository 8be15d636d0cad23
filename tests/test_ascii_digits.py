"""Digits that only look like digits: str.isdigit() is true for "²" (int() refuses it), "٣" (int()
reads 3) and "１２" (int() reads 12). Every parse of a number typed by someone goes through
tuanhang/kernel/params.py or an ASCII check, so these are neither a server error nor another number."""

import io

import pytest
from django.core.management import CommandError, call_command

from booths.floorplan import merged_code
from booths.selectors.selection import selection_page
from tests import factories
from tests.booths.test_selection import Hall
from tuanhang.kernel.params import is_digits
from vendors.models import Application

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize("value", ["²", "٣", "１２", "", " 1", "1_0", "-1", None, 12])
def test_is_digits_takes_only_ascii_digits(value):
    assert not is_digits(value)


def test_is_digits_takes_ascii_digits_up_to_the_length_given():
    assert is_digits("0123456789")
    assert is_digits("31", max_length=2)
    assert not is_digits("031", max_length=2)


def _other_digits(pk):
    return [str(pk).translate(ARABIC_INDIC), str(pk).translate(FULLWIDTH), "²"]


def test_allocate_booths_takes_a_fairs_id_only_in_ascii_digits(db):
    event = factories.EventFactory(slug="vsip-2024")
    for key in _other_digits(event.pk):
        with pytest.raises(CommandError, match=f"“{key}”"):
            call_command("allocate_booths", key, "--dry-run", stdout=io.StringIO())


def test_print_command_takes_a_fairs_id_only_in_ascii_digits(db, tmp_path):
    event = factories.EventFactory(slug="vsip-2024")
    for key in _other_digits(event.pk):
        with pytest.raises(CommandError, match=f"“{key}”"):
            call_command("print_participants", key, "--out", str(tmp_path / "p.pdf"), stdout=io.StringIO())
    assert not (tmp_path / "p.pdf").exists()


def test_selection_page_orders_rows_whose_labels_hold_unicode_digits(db):
    hall = Hall()
    for i, row in enumerate(["A²", "A10", "A2", "A٣"]):
        hall._booth(f"E{i:02d}", hall.zone_a, row, x=3 * i, y=30)
    application, _ = hall.business()

    page = selection_page(application=application)

    labels = [row.label for zone in page.zones for row in zone.rows]
    assert labels == ["A", "A2", "A10", "A²", "A٣", "B"]


@pytest.mark.parametrize("codes", [["A²", "A³"], ["A٠١", "A٠٢"], ["A１", "A２"]])
def test_merged_code_numbers_only_ascii_digits(codes):
    assert merged_code(codes) == f"{codes[0]}-{codes[1]}"


def test_merged_code_still_shortens_ascii_numbers():
    assert merged_code(["A09", "A11"]) == "A09-11"


@pytest.mark.parametrize("booths", ["٣", "１２", "²"])
def test_participant_import_refuses_booths_in_other_digits(db, tmp_path, booths):
    from tests.vendors.test_import import HEADER, run_json, write_csv

    event = factories.EventFactory(max_booths_per_participant=20)
    path = write_csv(
        tmp_path / "ds.csv", [HEADER + ["booths"], ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", "", booths]]
    )

    data, error = run_json(path, "--event", event.slug)

    assert error is not None
    assert [e["field"] for e in data["errors"]] == ["booths"]
    assert not Application.objects.exists()
