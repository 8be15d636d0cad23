"""A refused long form is announced (issue 22, item 3), in Chromium on a 390×844 phone: the business
profile (15 fields) is sent with a mistake in its website field, far below the screen's first view.
The answer moves focus to the error summary under the page's heading (a screen reader reads "Có 1 lỗi cần sửa"),
the title starts with "Lỗi:", the summary is on screen, and its link takes focus to the field,
whose typed text is still there."""

import pytest
from django.urls import reverse

from tests import factories
from tests.e2e.test_autosave import _logged_in
from vendors.models import VendorMember

BAD_WEBSITE = "nuoc mam cat hai"


@pytest.mark.django_db(transaction=True)
def test_a_refused_profile_takes_focus_to_the_error_summary(page, live_server):
    vendor = factories.VendorFactory(name="Công ty TNHH Nước mắm Cát Hải")
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=user, role=VendorMember.Role.OWNER)
    _logged_in(page, live_server, user)

    page.goto(reverse("vendors:profile_edit"))
    assert page.evaluate("document.activeElement.id") != "error-summary"
    field = page.locator("#id_website")
    field.fill(BAD_WEBSITE)
    assert field.evaluate("el => el.getBoundingClientRect().top") > 844  # the mistake is off the first screen
    field.press("Enter")
    page.wait_for_selector("#error-summary")
    # The summary is in the page before the script that focuses it has run: wait for the script,
    # within a few seconds (it fails when focus never moves).
    page.wait_for_function("document.activeElement && document.activeElement.id === 'error-summary'", timeout=10_000)

    assert page.evaluate("document.activeElement.id") == "error-summary"
    assert page.title().startswith("Lỗi: ")
    heading = page.locator("#error-summary-title")
    assert heading.inner_text() == "Có 1 lỗi cần sửa"
    # Under the page's heading, not above it: the h1 is still the first heading a reader meets.
    headings = page.evaluate("[...document.querySelectorAll('main h1, main h2')].map(h => h.id || h.tagName)")
    assert headings[:2] == ["H1", "error-summary-title"]
    top = page.locator("#error-summary").evaluate("el => el.getBoundingClientRect().top")
    assert 0 <= top < 844

    page.locator("#error-summary a").first.click()
    assert page.evaluate("document.activeElement.id") == "id_website"
    assert page.locator("#id_website").input_value() == BAD_WEBSITE
    assert page.locator("#id_website").get_attribute("aria-invalid") == "true"
