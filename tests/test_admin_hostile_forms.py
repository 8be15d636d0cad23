"""The admin's forms answer hostile values with their own field errors, never a 500 (issue 17)."""

import pytest
from django.urls import reverse

from booths.models import Booth
from tests import factories


@pytest.mark.parametrize("value", ["abc", "²", "9" * 30, "1e309", "-1"])
def test_a_foreign_key_autocomplete_shows_the_form_again_for_a_value_it_cannot_hold(client, db, value):
    client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
    fair = factories.EventFactory()
    data = {"event": fair.pk, "zone": value, "code": "A01", "x": 0, "y": 0, "width_m": 3, "depth_m": 3}

    response = client.post(reverse("admin:booths_booth_add"), data)

    assert response.status_code == 200
    assert "zone" in response.context["adminform"].form.errors
    assert not Booth.objects.exists()


@pytest.mark.parametrize(
    "posted", ["²", "1e309", "٣", "vendors:dashboard", "//evil.example/x", "https://evil.example/"]
)
def test_a_posted_next_that_is_not_a_path_of_this_site_falls_back_to_the_default(rf, posted):
    """A bare word is not followed: redirect() would take it for a URL name and fail (a 500)."""
    from tuanhang.kernel.sites import posted_next

    request = rf.post("/staff/", {"next": posted})

    assert posted_next(request, "/staff/fairs/") == "/staff/fairs/"
    assert posted_next(rf.post("/staff/", {"next": "/staff/fairs/x/checkin/"}), "/d/") == "/staff/fairs/x/checkin/"


def test_a_bulk_decision_with_a_bare_word_as_next_goes_back_to_the_list(client, db):
    client.force_login(factories.StaffUserFactory(username="duyet"))
    fair = factories.EventFactory()
    application = factories.ApplicationFactory(event=fair, status="submitted")
    data = {"decision": "approve", "applications": [application.pk], "next": "²", "confirm_over_capacity": "on"}

    response = client.post(reverse("vendors:review_bulk", args=[fair.slug]), data)

    assert response.status_code == 302
    assert response.url == reverse("vendors:review_list", args=[fair.slug])


@pytest.mark.parametrize("value", ["9" * 30, "²", "abc"])
def test_a_multiple_choice_of_rows_refuses_an_id_no_key_can_hold(client, db, value):
    """A fair's required documents (a plain multiple select): the change form again, nothing saved."""
    client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
    fair = factories.EventFactory()
    response = client.post(reverse("admin:events_event_change", args=[fair.pk]), {"required_documents": [value]})

    assert response.status_code == 200
    assert "required_documents" in response.context["adminform"].form.errors
    assert not fair.required_documents.exists()


@pytest.mark.parametrize(
    "query",
    [
        {"created_at__year": "9" * 30},  # OverflowError building the datetime
        {"created_at__year": "9999"},  # the year after 9999 does not exist: ValueError
        {"created_at__year": "9999", "created_at__month": "12", "created_at__day": "31"},  # a day past the last
        {"created_at__year": "2026", "created_at__month": "99"},
    ],
)
def test_a_date_drill_down_to_an_impossible_date_shows_the_list_again(admin_client, query):
    """The admin's date hierarchy answers an impossible year with its own "bad parameters" redirect
    (?e=1), the same as for any unknown filter, instead of a server error."""
    response = admin_client.get(reverse("admin:events_generatedfile_changelist"), query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
