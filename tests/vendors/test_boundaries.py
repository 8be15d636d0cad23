"""Who may open what: every URL of the vendor journey, for every kind of visitor.

The table below has one entry per URL name of the "vendors" namespace (tuanhang.urls.VENDOR_PAGES;
a new URL without an entry fails `test_every_vendors_url_has_an_entry_in_the_table`). Each entry
says how to build the URL with real objects of business A, and what each visitor gets:

- anonymous → the login page (with ?next=), except public pages;
- business B (another tenant) → 404 for A's objects, never a hint that they exist, and none of A's
  private details on the pages it may open;
- A's owner and A's colleague → the page (or its normal redirect); colleagues may not invite;
- staff (an administrator of the fairs' organiser, every capability of events/policy.py) → the
  review pages and A's files; the business pages send an account with no business to create one;
  business users get 403 on the review pages;
- the administrator of another organiser → 404 on every staff page about A's fair, application or
  files (they do not exist for it), and is answered as staff on the business and public pages
  (tests/test_permission_matrix.py checks each role of an organiser against every URL);
- an account with no business yet → asked to create one.

A second set of tests posts real changes as every visitor who must not make them and checks that
nothing at all was written; a third shows the same posts do change things for the right visitor, so
the refusals are not vacuous."""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import resolve, reverse
from django.utils import timezone

from tests.vendors._boundary_support import FAST_HASHERS, INVITATION_TOKEN, build_world, pdf_upload
from tuanhang.urls import VENDOR_PAGES
from vendors.models import Application
from vendors.permissions import profile_create_url

A = Application.Status
ROLES = ("anonymous", "other_business", "owner", "colleague", "staff", "other_organiser", "no_business")


@dataclass(frozen=True)
class Expect:
    status: int
    # Redirects: a URL name of the vendors app (no arguments), "login" (the login page with ?next=this URL),
    # or a callable world → path.
    to: str | Callable | None = None

    def location(self, world, requested: str) -> str:
        if self.to == "login":
            return redirect_to_login(requested).url
        if self.to == "profile_create_back":
            return profile_create_url(requested)
        if callable(self.to):
            return self.to(world)
        return reverse(self.to)


OK = Expect(200)
NOT_FOUND = Expect(404)
FORBIDDEN = Expect(403)
LOGIN = Expect(302, "login")
CREATE_PROFILE = Expect(302, "vendors:profile_create")
# Pages a visitor sets out for (apply to this fair): the profile page, then back there.
CREATE_PROFILE_AND_BACK = Expect(302, "profile_create_back")
TO_DASHBOARD = Expect(302, "vendors:dashboard")
TO_LOGIN_PAGE = Expect(302, "vendors:login")
TO_PROFILE = Expect(302, "vendors:profile_edit")


@dataclass(frozen=True)
class Route:
    kwargs: Callable = lambda w: {}
    expect: dict = field(default_factory=dict)
    method: str = "get"  # "post" for POST-only views (posted with empty data)
    query: dict | None = None
    # A page a token holder may open whatever the account (it names A by design).
    names_business_a: bool = False
    # POST data that would change A's objects if the visitor were allowed (None: nothing to post).
    attack: Callable | None = None
    # The role for which `attack` really changes something (the positive control), if any.
    allowed: str | None = None


def public(**overrides):
    return {**dict.fromkeys(ROLES, OK), **overrides}


def business_page(**overrides):
    """Needs login and a business; B sees its own page."""
    return {
        "anonymous": LOGIN,
        "other_business": OK,
        "owner": OK,
        "colleague": OK,
        "staff": CREATE_PROFILE,
        "other_organiser": CREATE_PROFILE,
        "no_business": CREATE_PROFILE,
        **overrides,
    }


def owned(**overrides):
    """A page about one of A's objects: B gets 404."""
    return business_page(other_business=NOT_FOUND, **overrides)


def staff_page(**overrides):
    return {
        "anonymous": LOGIN,
        "other_business": FORBIDDEN,
        "owner": FORBIDDEN,
        "colleague": FORBIDDEN,
        "staff": OK,
        "other_organiser": NOT_FOUND,
        "no_business": FORBIDDEN,
        **overrides,
    }


STAFF = ("staff", "other_organiser")


def _staff_home(w):
    return reverse("events:staff_home")


LOGGED_IN_GO_TO_DASHBOARD = {role: TO_DASHBOARD for role in ROLES if role != "anonymous"}


def _qr_token(application_id):
    from vendors.selectors.vietqr import qr_token

    return qr_token(application_id)


def _edit_of_a(w):
    return reverse("vendors:application_edit", kwargs={"pk": w.application_a.pk})


def _review_list(w):
    return reverse("vendors:review_list", kwargs={"slug": w.fair.slug})


def _payments_of_a(w):
    return reverse("vendors:review_detail", kwargs={"pk": w.application_a.pk}) + "#payments"


def _today():
    return timezone.localdate().strftime("%d/%m/%Y")


TABLE: dict[str, Route] = {
    # --- accounts ---
    "signup": Route(expect=public(**LOGGED_IN_GO_TO_DASHBOARD)),
    "verification_sent": Route(expect=public()),
    "resend_verification": Route(expect=public()),
    # Sign-up / log-in by phone: the code page without a number asked first goes back to step 1.
    "phone_start": Route(expect=public(**LOGGED_IN_GO_TO_DASHBOARD)),
    "phone_code": Route(expect=public(anonymous=Expect(302, "vendors:phone_start"), **LOGGED_IN_GO_TO_DASHBOARD)),
    # A real account's uid with a wrong token: the "link does not work" page, for anyone.
    "verify_email": Route(kwargs=lambda w: {"uidb64": w.unverified_uidb64, "token": "sai-ma"}, expect=public()),
    # Staff have no business: their home after login is the staff area.
    "login": Route(expect=public(**{**LOGGED_IN_GO_TO_DASHBOARD, **dict.fromkeys(STAFF, Expect(302, _staff_home))})),
    "logout": Route(method="post", expect=dict.fromkeys(ROLES, TO_LOGIN_PAGE)),
    "password_reset": Route(expect=public()),
    "password_reset_done": Route(expect=public()),
    "password_reset_confirm": Route(
        kwargs=lambda w: {"uidb64": w.unverified_uidb64, "token": "sai-ma"}, expect=public()
    ),
    "password_reset_complete": Route(expect=public()),
    "members": Route(expect=business_page()),
    "invite": Route(
        expect=business_page(colleague=FORBIDDEN),
        attack=lambda w: {"email": "ke.la@example.vn"},
        allowed="owner",
    ),
    "invitation_revoke": Route(
        kwargs=lambda w: {"pk": w.invitation_a.pk},
        expect=owned(colleague=FORBIDDEN),
        attack=lambda w: {},
        allowed="owner",
    ),
    # The link's token is the secret: whoever holds it sees the invitation (and why it cannot be accepted).
    "invitation_accept": Route(kwargs=lambda w: {"token": INVITATION_TOKEN}, expect=public(), names_business_a=True),
    # --- profile and products ---
    "profile_create": Route(
        expect={
            "anonymous": LOGIN,
            "other_business": TO_PROFILE,
            "owner": TO_PROFILE,
            "colleague": TO_PROFILE,
            "staff": OK,
            "other_organiser": OK,
            "no_business": OK,
        }
    ),
    "profile_edit": Route(expect=business_page()),
    "communes": Route(query={"province": "31"}, expect=public(anonymous=LOGIN)),
    "product_list": Route(expect=business_page()),
    # The business's own data (issue 17): never named in the URL, so B gets its own.
    "my_data": Route(expect=business_page()),
    "my_data_download": Route(expect=business_page()),
    "erasure_request": Route(expect=business_page()),
    "product_create": Route(expect=business_page()),
    "product_edit": Route(
        kwargs=lambda w: {"pk": w.product_a.pk},
        expect=owned(),
        attack=lambda w: {"name": "Sản phẩm bị sửa", "category": str(w.product_a.category_id)},
        allowed="owner",
    ),
    # (Deleting is refused while a submitted application shows the product: no positive control here.)
    "product_delete": Route(kwargs=lambda w: {"pk": w.product_a.pk}, expect=owned(), attack=lambda w: {}),
    "file": Route(
        kwargs=lambda w: {"kind": "document", "pk": w.document_a.pk},
        expect={
            "anonymous": LOGIN,
            "other_business": NOT_FOUND,
            "owner": OK,
            "colleague": OK,
            "staff": OK,
            "other_organiser": NOT_FOUND,
            "no_business": NOT_FOUND,
        },
    ),
    # Page 1 of the same document as a picture rendered on the server: the same people.
    "file_preview": Route(
        kwargs=lambda w: {"pk": w.document_a.pk, "page": 1},
        expect={
            "anonymous": LOGIN,
            "other_business": NOT_FOUND,
            "owner": OK,
            "colleague": OK,
            "staff": OK,
            "other_organiser": NOT_FOUND,
            "no_business": NOT_FOUND,
        },
    ),
    # --- applying ---
    "fair_list": Route(expect=public()),
    # The second fair, to which nobody has applied: the form.
    "application_create": Route(
        kwargs=lambda w: {"slug": w.fair2.slug},
        expect=business_page(
            staff=CREATE_PROFILE_AND_BACK, other_organiser=CREATE_PROFILE_AND_BACK, no_business=CREATE_PROFILE_AND_BACK
        ),
    ),
    "dashboard": Route(expect=business_page()),
    "application_edit": Route(
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=owned(),
        attack=lambda w: {"booths_requested": "1", "note": "Bị sửa", "accept_terms": "on", "action": "save"},
        allowed="owner",
    ),
    # A's application is already submitted: the owner is sent back to it with the reason.
    "application_submit": Route(
        method="post",
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=owned(owner=Expect(302, _edit_of_a), colleague=Expect(302, _edit_of_a)),
        attack=lambda w: {},
    ),
    "application_withdraw": Route(
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=owned(),
        attack=lambda w: {"reason": "Bị rút hộ"},
        allowed="owner",
    ),
    "document_upload": Route(
        kwargs=lambda w: {"pk": w.application_a.pk, "document_type_id": w.document_type.pk},
        expect=owned(),
        attack=lambda w: {"file": pdf_upload("gia-mao.pdf")},
        allowed="owner",
    ),
    # Autosave (JSON, POST only): A's application is submitted, so its owner is refused with 409;
    # another business's application is 404. On the second fair a business starts a draft.
    "application_autosave": Route(
        method="post",
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=owned(owner=Expect(409), colleague=Expect(409)),
        attack=lambda w: {"note": "Bị sửa"},
    ),
    "application_autosave_new": Route(method="post", kwargs=lambda w: {"slug": w.fair2.slug}, expect=business_page()),
    # The registration form filled in from the application, or from the profile before applying.
    "registration_form": Route(
        kwargs=lambda w: {"pk": w.application_a.pk, "document_type_id": w.form_type.pk}, expect=owned()
    ),
    "registration_form_new": Route(
        kwargs=lambda w: {"slug": w.fair.slug, "document_type_id": w.form_type.pk},
        expect=business_page(staff=CREATE_PROFILE, other_organiser=CREATE_PROFILE, no_business=CREATE_PROFILE),
    ),
    # --- organisers' review ---
    "review_list": Route(kwargs=lambda w: {"slug": w.fair.slug}, expect=staff_page()),
    # Nothing ticked: back to the list with a message.
    "review_bulk": Route(
        method="post",
        kwargs=lambda w: {"slug": w.fair.slug},
        expect=staff_page(staff=Expect(302, _review_list)),
        attack=lambda w: {"decision": "reject", "reason": "Từ chối giả", "applications": [str(w.application_a.pk)]},
        allowed="staff",
    ),
    "review_detail": Route(kwargs=lambda w: {"pk": w.application_a.pk}, expect=staff_page()),
    "review_registration_form": Route(
        kwargs=lambda w: {"pk": w.application_a.pk, "document_type_id": w.form_type.pk}, expect=staff_page()
    ),
    # No decision chosen: the decision page with the error.
    "review_decide": Route(
        method="post",
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=staff_page(),
        attack=lambda w: {"decision": "approve", "reason": "Tự duyệt", "confirm_over_capacity": "on"},
        allowed="staff",
    ),
    # Empty form: the application's page with the payment form's errors.
    "payment_create": Route(
        method="post",
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=staff_page(),
        attack=lambda w: {"amount": "9.000.000", "paid_on": _today(), "method": "cash", "reference": "GIA"},
        allowed="staff",
    ),
    # Receipts, refunds, e-invoices (issue 20 item 4). Empty forms: back to the application's page.
    "receipt_download": Route(kwargs=lambda w: {"pk": w.payment_a.pk}, expect=staff_page()),
    "refund_voucher_download": Route(kwargs=lambda w: {"pk": w.refund_a.pk}, expect=staff_page()),
    "refund_create": Route(
        method="post",
        kwargs=lambda w: {"pk": w.application_a.pk},
        expect=staff_page(staff=Expect(302, _payments_of_a)),
        attack=lambda w: {"amount": "1", "refunded_on": _today(), "method": "cash", "reason": "Giả"},
    ),
    "invoice_create": Route(
        method="post",
        kwargs=lambda w: {"pk": w.payment_a.pk},
        expect=staff_page(staff=Expect(302, _payments_of_a)),
        attack=lambda w: {"series": "1C26TAA", "number": "0000001", "issued_on": _today()},
        allowed="staff",
    ),
    # The confirmation page (GET). A's payment carries A's refund, so even staff may not void it
    # (refunded would exceed paid): no positive control here (tests/vendors/test_payment_void.py).
    "payment_void": Route(
        kwargs=lambda w: {"pk": w.payment_a.pk}, expect=staff_page(), attack=lambda w: {"reason": "Giả"}
    ),
    "einvoice_export": Route(kwargs=lambda w: {"slug": w.fair.slug}, expect=staff_page()),
    "my_payments": Route(expect=business_page()),
    "my_receipt": Route(kwargs=lambda w: {"pk": w.payment_a.pk}, expect=owned()),
    "my_refund_voucher": Route(kwargs=lambda w: {"pk": w.refund_a.pk}, expect=owned()),
    # A signed VietQR link (no login): A's application is not approved, so nothing to pay: 404 for
    # everyone (the image, expiry and forgery: tests/vendors/test_vietqr_wiring.py).
    "payment_qr_png": Route(
        kwargs=lambda w: {"token": _qr_token(w.application_a.pk)}, expect=dict.fromkeys(ROLES, NOT_FOUND)
    ),
    # --- public directory (A's application is not approved: A is not listed, its page answers 404) ---
    "exhibitors": Route(kwargs=lambda w: {"slug": w.fair.slug}, expect=public()),
    "exhibitor": Route(
        kwargs=lambda w: {"event_slug": w.fair.slug, "vendor_id": w.vendor_a.pk}, expect=dict.fromkeys(ROLES, NOT_FOUND)
    ),
    "exhibitor_image": Route(
        kwargs=lambda w: {"event_slug": w.fair.slug, "vendor_id": w.vendor_a.pk, "kind": "logo", "pk": w.vendor_a.pk},
        expect=dict.fromkeys(ROLES, NOT_FOUND),
    ),
    # --- setup-day check-in (staff; A is not approved, so it cannot be checked in: 404) ---
    "checkin": Route(kwargs=lambda w: {"slug": w.fair.slug}, expect=staff_page()),
    "checkin_progress": Route(kwargs=lambda w: {"slug": w.fair.slug}, expect=staff_page()),
    "checkin_detail": Route(
        kwargs=lambda w: {"slug": w.fair.slug, "pk": w.application_a.pk}, expect=staff_page(staff=NOT_FOUND)
    ),
    "checkin_arrive": Route(
        method="post",
        kwargs=lambda w: {"slug": w.fair.slug, "pk": w.application_a.pk},
        expect=staff_page(staff=NOT_FOUND),
    ),
    "checkin_undo": Route(
        method="post",
        kwargs=lambda w: {"slug": w.fair.slug, "pk": w.application_a.pk},
        expect=staff_page(staff=NOT_FOUND),
    ),
    "checkin_handover": Route(
        method="post",
        kwargs=lambda w: {"slug": w.fair.slug, "pk": w.application_a.pk},
        expect=staff_page(staff=NOT_FOUND),
    ),
    "checkin_handover_record": Route(
        kwargs=lambda w: {"slug": w.fair.slug, "pk": w.application_a.pk}, expect=staff_page(staff=NOT_FOUND)
    ),
}

URL_NAMES = sorted(pattern.name for pattern in VENDOR_PAGES)
REFUSALS = (LOGIN, NOT_FOUND, FORBIDDEN, CREATE_PROFILE)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = FAST_HASHERS  # six accounts per test: the real hasher would take seconds
    return build_world()


def _url(world, name) -> str:
    route = TABLE[name]
    url = reverse(f"vendors:{name}", kwargs=route.kwargs(world) or None)
    assert resolve(url).url_name == name  # the table builds the URL of this very pattern
    if route.query:
        url += "?" + "&".join(f"{key}={value}" for key, value in route.query.items())
    return url


def _as(client, world, role):
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def _private_details_of_a(world) -> list[str]:
    return [
        world.vendor_a.name,
        world.vendor_a.tax_code,
        world.product_a.name,
        world.application_a.note,
        world.payment_a.reference,
        world.invitation_a.email,
        world.document_a.original_name,
    ]


def _check(response, expect: Expect, world, url):
    assert response.status_code == expect.status, (url, response.status_code, getattr(response, "url", ""))
    if expect.status == 302:
        assert response.url == expect.location(world, url)


# --- the table covers every URL -----------------------------------------------------------------------


def test_every_vendors_url_has_an_entry_in_the_table():
    assert set(URL_NAMES) == set(TABLE), "add the new vendors URL to TABLE in tests/vendors/test_boundaries.py"


def test_every_table_entry_says_what_each_kind_of_visitor_gets():
    for name, route in TABLE.items():
        assert set(route.expect) == set(ROLES), name


# --- who gets what ----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", URL_NAMES)
def test_url_answers_each_kind_of_visitor_as_the_table_says(client, world, name, role):
    assert name in TABLE, f"vendors:{name} has no entry in TABLE"
    route = TABLE[name]
    url = _url(world, name)
    before = world.snapshot()

    response = getattr(_as(client, world, role), route.method)(url)

    _check(response, route.expect[role], world, url)
    outsider = role in ("anonymous", "other_business", "other_organiser", "no_business")
    if response.status_code == 200 and outsider and not route.names_business_a:
        body = b"".join(response.streaming_content) if response.streaming else response.content
        for detail in _private_details_of_a(world):
            assert detail.encode() not in body, (url, role, detail)
    if getattr(response, "file_to_stream", None) is not None:
        # A file response holds the file open (response.close() would also close the test's database connection).
        response.file_to_stream.close()
    if route.method == "get" or route.expect[role] in REFUSALS:
        assert world.snapshot() == before


@pytest.mark.parametrize("name", [name for name in URL_NAMES if TABLE.get(name) and TABLE[name].method == "post"])
def test_post_only_url_refuses_get_without_error(client, world, name):
    allowed = "staff" if TABLE[name].expect["staff"] not in REFUSALS else "owner"
    response = _as(client, world, allowed).get(_url(world, name))

    assert response.status_code == 405


# --- refused changes write nothing ------------------------------------------------------------------

ATTACKS = [
    (name, role)
    for name in URL_NAMES
    if TABLE.get(name) and TABLE[name].attack is not None
    for role in ROLES
    if TABLE[name].expect[role] in REFUSALS
]


@pytest.mark.parametrize(("name", "role"), ATTACKS)
def test_refused_change_answers_as_the_table_says_and_writes_nothing(client, world, name, role):
    route = TABLE[name]
    url = _url(world, name)
    before = world.snapshot()

    response = _as(client, world, role).post(url, route.attack(world))

    _check(response, route.expect[role], world, url)
    assert world.snapshot() == before


@pytest.mark.parametrize("name", [name for name in URL_NAMES if TABLE.get(name) and TABLE[name].allowed])
def test_the_same_change_by_the_right_visitor_is_written(client, world, name):
    """The positive control of the refusals above: the posted data is a real change."""
    route = TABLE[name]
    before = world.snapshot()

    response = _as(client, world, route.allowed).post(_url(world, name), route.attack(world))

    assert response.status_code in (200, 302)
    assert world.snapshot() != before


def test_business_b_cannot_reach_a_through_its_own_application_either(client, world):
    """B's application to the same fair with A's document type: B's upload lands on B's application only."""
    url = reverse(
        "vendors:document_upload", kwargs={"pk": world.application_b.pk, "document_type_id": world.document_type.pk}
    )
    before = world.snapshot()

    response = _as(client, world, "other_business").post(url, {"file": pdf_upload("cua-b.pdf")})

    assert response.status_code == 302
    after = world.snapshot()
    assert after["ApplicationDocument"] == before["ApplicationDocument"] + 1
    assert after["document_a"] == before["document_a"]
    assert world.application_b.documents.get().original_name == "cua-b.pdf"
