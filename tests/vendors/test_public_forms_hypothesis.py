"""Any input, through the real pages: no server error, nothing written when the form is refused, and
no script payload ever comes back unescaped (neither on the refused form nor on the page a saved value
is shown on).

Hypothesis drives the forms the other test files do not already fuzz: the application (create and
edit, posted over HTTP as the browser does), document upload, withdrawal, new password from a reset
link, and the staff side's payment, decision, bulk decision and list filters, plus the tokens in
emailed links. The forms already fuzzed elsewhere (sign-up, login, resend, password reset, invite,
profile, product: see test_accounts, test_profile, test_products) get the fixed catalogue of edge
values here, with the row counts checked, which those tests do not do.

Each example runs inside a savepoint rolled back afterwards, so a valid example does not change what
the next one starts from."""

import contextlib
from urllib.parse import quote, unquote

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from hypothesis import HealthCheck, Phase, event, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from tests import controls, factories
from tests.vendors._boundary_support import FAST_HASHERS, PDF, build_world
from vendors.models import Application, ApplicationDocument, Payment, ZonePreference

A = Application.Status

# --- what is thrown at the forms -------------------------------------------------------------------

XSS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "</textarea><script>alert(2)</script>",
    "<svg onload=alert(3)>",
    "'\"><iframe src=javascript:alert(4)>",
]
SQLISH = [
    "' OR '1'='1",
    "1; DROP TABLE vendors_vendor; --",
    '" OR 1=1 --',
    "%' UNION SELECT password FROM auth_user --",
    "\\'; --",
    "%",
    "_",
]
EDGE = [
    "",
    " ",
    "\x00",
    "Công ty\x00TNHH",
    "\u202eCông ty đảo chiều",  # RIGHT-TO-LEFT OVERRIDE
    "\u200f\u0645\u0631\u062d\u0628\u0627",  # RTL mark + Arabic
    "\u200b",  # zero-width space
    "\ufeff",  # byte order mark
    "🇻🇳🍜👩‍👩‍👧",
    "e\u0301\u0301\u0301\u0301",  # stacked combining marks
    "Nu\u031bo\u031b\u0301c ma\u0302\u0301m",  # Vietnamese in decomposed form
    "１２３",  # full-width digits
    "٣",  # Arabic-Indic digit
    "²",
    "\r\n\t\x0b\x0c\x1b\x7f",
    "null",
    "None",
    "true",
]
NUMBERS = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.sampled_from(["0", "-1", "1e9", "1e308", "-0", "NaN", "Infinity", "0x10", "1_000", "1.500.000", "9" * 40]),
)
HUGE = st.builds(
    lambda piece, times: piece * times,
    st.sampled_from(["a", "ệ", "<", "\x00", "🍜", "9", "' OR 1=1 --", "<script>alert(1)</script>"]),
    st.integers(min_value=200, max_value=5000),
).map(lambda s: s[:5000])
WITH_SCRIPT = st.builds(
    lambda before, payload, after: before + payload + after,
    st.text(max_size=20),
    st.sampled_from(XSS),
    st.text(max_size=20),
)
NASTY = st.one_of(
    st.text(max_size=80),  # any code point but surrogates: control characters included
    st.sampled_from(EDGE + SQLISH + XSS),
    WITH_SCRIPT,
    NUMBERS,
    HUGE,
)

# Values of the right shape that must still be refused somewhere (or accepted where they fit).
WRONG_BUT_PLAUSIBLE = [
    "0",
    "-5",
    "4",
    "1,5",
    "31/02/2025",
    "01/01/2999",
    "2025-13-01",
    "@zone_a",
    "@foreign_zone",
    "@product_b",
    "@no_category",
    "approve",
    "reject",
    "submit",
]

# An id past the 64-bit range of the database's integers (SQLite raises OverflowError on it).
HUGE_ID = "9" * 40

SETTINGS = hypothesis_settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],  # no "explain": minutes on a failure
)


# --- the world and helpers ---------------------------------------------------------------------------


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PASSWORD_HASHERS = FAST_HASHERS
    w = build_world()
    for fair in (w.fair, w.fair2):
        factories.ZoneFactory(event=fair, code="A", name="Khu OCOP", position=1)
        factories.ZoneFactory(event=fair, code="B", name="Khu nông sản", position=2)
        factories.BoothTypeFactory(event=fair, code="std", name="Gian tiêu chuẩn")
    w.foreign_zone = factories.ZoneFactory(code="X", name="Khu của hội chợ khác")  # its own fair
    return w


@pytest.fixture
def owner(client, world):
    client.force_login(world.owner_a)
    return client


@pytest.fixture
def staff():
    return Client()


@contextlib.contextmanager
def rolled_back():
    """One example: whatever it writes is undone afterwards."""
    with transaction.atomic():
        yield
        transaction.set_rollback(True)


def watched(world) -> dict:
    return {**world.snapshot(), "ZonePreference": ZonePreference.objects.count()}


def assert_no_raw_script(content: bytes, where):
    for payload in XSS:
        assert payload.encode() not in content, (where, payload)


def check(client, response, before, world, where):
    """The rules for every post: no server error; a re-rendered form wrote nothing; no raw script
    on the answer nor on the page a redirect leads to (where a saved value would show). A control
    character in a field is refused before any view runs: 400, nothing written."""
    assert response.status_code in (200, 302, 400), (where, response.status_code)
    event(f"{where.split('/')[1]} answered {response.status_code}")
    assert_no_raw_script(response.content, where)
    if response.status_code == 400:
        assert response.wsgi_request.method == "POST"
        assert any(controls.has_control(v) for values in response.wsgi_request.POST.lists() for v in values[1]), where
    if response.status_code in (200, 400):
        assert watched(world) == before, where
    else:
        shown = client.get(response.url)
        assert shown.status_code == 200, (where, response.url, shown.status_code)
        assert_no_raw_script(shown.content, response.url)


def some(strategy, choices):
    """Mostly a real choice, sometimes anything."""
    return st.one_of(st.sampled_from(choices), strategy)


def valid_then_spoiled(valid: dict):
    """A valid post (each field drawn from its own strategy), then up to three fields replaced by
    anything: valid posts are reached as well as every kind of refusal."""
    anything = st.one_of(NASTY, st.lists(NASTY, max_size=3), st.sampled_from(WRONG_BUT_PLAUSIBLE))
    spoil = st.dictionaries(st.sampled_from(sorted(valid)), anything, max_size=3)
    return st.tuples(st.fixed_dictionaries(valid), spoil).map(lambda pair: {**pair[0], **pair[1]})


# --- the application form (create and edit) -------------------------------------------------------

# "@…" names a real object, resolved for the fair the form is for (a zone of another fair, B's product
# and a category that does not exist are real-looking ids the form must refuse).
TEXT = st.one_of(st.text(max_size=80), st.sampled_from(EDGE + SQLISH + XSS), WITH_SCRIPT)
APPLICATION_FIELDS = valid_then_spoiled(
    {
        "booths_requested": st.sampled_from(["1", "2", "3", " 2 "]),
        "booth_type": st.just("@std"),
        "zone_1": st.sampled_from(["@zone_a", "@zone_b", ""]),
        "zone_2": st.just(""),
        "zone_3": st.just(""),
        "categories": st.lists(st.just("@category"), max_size=1),
        "products": st.lists(st.just("@product_a"), max_size=1),
        "note": TEXT,
        "accept_terms": st.just("on"),
        "action": st.sampled_from(["draft", "submit", "save"]),
    }
)


def resolve(value, world, fair):
    if isinstance(value, list):
        return [resolve(item, world, fair) for item in value]
    real = {
        "@zone_a": lambda: fair.zones.get(code="A").pk,
        "@zone_b": lambda: fair.zones.get(code="B").pk,
        "@foreign_zone": lambda: world.foreign_zone.pk,
        "@std": lambda: fair.booth_types.get(code="std").pk,
        "@product_a": lambda: world.product_a.pk,
        "@product_b": lambda: world.product_b.pk,
        "@category": lambda: world.product_a.category_id,
        "@no_category": lambda: 10**9,
    }
    return str(real[value]()) if value in real else value


@SETTINGS
@given(values=APPLICATION_FIELDS)
@example(values={"booths_requested": "1", "note": "<script>alert(1)</script>", "action": "draft"})
@example(values={"booths_requested": "2", "note": "Ghi chú\x00", "accept_terms": "on", "action": "save"})
@example(values={"booths_requested": "1", "products": [HUGE_ID], "action": "draft"})
@example(values={"booths_requested": "1", "categories": [HUGE_ID], "action": "draft"})
def test_application_form_answers_any_input_without_error_or_stray_write(owner, world, values):
    for fair, url in (
        (world.fair2, reverse("vendors:application_create", kwargs={"slug": world.fair2.slug})),
        (world.fair, reverse("vendors:application_edit", kwargs={"pk": world.application_a.pk})),
    ):
        data = {name: resolve(value, world, fair) for name, value in values.items()}
        with rolled_back():
            before = watched(world)
            response = owner.post(url, data)
            check(owner, response, before, world, url)


# --- document upload ---------------------------------------------------------------------------------

FILE_CONTENT = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda tail: b"%PDF-" + tail, st.binary(max_size=200)),  # looks like a PDF, is not one
    st.builds(lambda tail: b"\x89PNG\r\n\x1a\n" + tail, st.binary(max_size=200)),
    st.builds(lambda tail: b"\xff\xd8\xff" + tail, st.binary(max_size=200)),
    st.just(PDF),
    st.just(b""),
    st.sampled_from([x.encode() for x in XSS]),
)
FILE_NAME = st.one_of(
    st.text(max_size=120),
    st.sampled_from(
        [
            "../../etc/passwd",
            "..\\..\\boot.ini",
            "/",
            "..",
            "a.pdf.exe",
            ".htaccess",
            "giay\x00phep.pdf",
            "<script>alert(1)</script>.pdf",
            "&#47;etc&#47;passwd",
        ]
    ),
)
BOUNDARY = "----tuanhang-boundary-7MA4YWxkTrZu0gW"


def multipart(fields: dict, file_field: str, file_name: str, content: bytes, content_type: str) -> bytes:
    """A multipart body as a browser (or anyone) could send it, whatever the file name: Django's test
    client refuses some names itself. Quotes and line breaks in the name are percent-encoded as
    browsers do; everything else goes as it is."""
    escaped = file_name.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
    parts = [
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode(
            "utf-8", "surrogatepass"
        )
        for name, value in fields.items()
    ]
    parts.append(
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{file_field}"; filename="{escaped}"\r\n'
        f"Content-Type: {content_type}\r\n\r\n".encode("utf-8", "surrogatepass")
        + content
        + b"\r\n"
    )
    parts.append(f"--{BOUNDARY}--\r\n".encode())
    return b"".join(parts)


@SETTINGS
@given(
    name=FILE_NAME,
    content=FILE_CONTENT,
    declared=st.sampled_from(["application/pdf", "image/png", "text/html", "image/svg+xml", ""]),
    extra=NASTY,
)
@example(name="../../giay-phep.pdf", content=PDF, declared="application/pdf", extra="")
def test_document_upload_answers_any_file_without_error_or_stray_write(owner, world, name, content, declared, extra):
    url = reverse(
        "vendors:document_upload", kwargs={"pk": world.application_a.pk, "document_type_id": world.document_type.pk}
    )
    body = multipart({"note": extra}, "file", name, content, declared or "application/octet-stream")
    with rolled_back():
        before = watched(world)
        response = owner.post(url, body, content_type=f"multipart/form-data; boundary={BOUNDARY}")
        check(owner, response, before, world, url)
        if response.status_code == 302:
            assert content.startswith((b"%PDF-", b"\x89PNG", b"\xff\xd8\xff"))
            stored = ApplicationDocument.objects.get(pk=world.document_a.pk)
            assert "/" not in stored.original_name and "\\" not in stored.original_name
            assert stored.file.name.startswith("documents/")
            assert stored.file.name.rsplit(".", 1)[-1] in ("pdf", "png", "jpg")


# --- withdrawal ----------------------------------------------------------------------------------------


@SETTINGS
@given(reason=NASTY)
def test_withdraw_form_answers_any_reason_without_error_or_stray_write(owner, world, reason):
    url = reverse("vendors:application_withdraw", kwargs={"pk": world.application_a.pk})
    with rolled_back():
        before = watched(world)
        response = owner.post(url, {"reason": reason})
        check(owner, response, before, world, url)
        withdrawn = Application.objects.get(pk=world.application_a.pk).status == A.WITHDRAWN
        assert withdrawn == (response.status_code == 302)


# --- new password from a reset link ---------------------------------------------------------------------


@SETTINGS
@given(password1=NASTY, password2=st.one_of(st.just(None), NASTY))
def test_new_password_form_answers_any_input_without_error(world, password1, password2):
    user = world.owner_a
    link = reverse(
        "vendors:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    visitor = Client()
    with rolled_back():
        opened = visitor.get(link)
        assert opened.status_code == 302  # to the same page without the token in the address
        old_hash = type(user).objects.get(pk=user.pk).password
        response = visitor.post(
            opened.url, {"new_password1": password1, "new_password2": password1 if password2 is None else password2}
        )
        assert response.status_code in (200, 302, 400), response.status_code
        if response.status_code == 400:  # a control character: refused before the view, nothing changed
            assert controls.has_control(password1) or controls.has_control(password2 or "")
        assert_no_raw_script(response.content, opened.url)
        changed = type(user).objects.get(pk=user.pk).password != old_hash
        assert changed == (response.status_code == 302)


# --- the staff side: payments, decisions, filters --------------------------------------------------------

PAYMENT_FIELDS = valid_then_spoiled(
    {
        "amount": st.sampled_from(["1.500.000", "1500000", "1 500 000 ₫", "2,000,000 VND", "750.000đ"]),
        "paid_on": st.sampled_from(["05/03/2025", "2025-03-05", "05.03.2025", "5/3/25"]),
        "method": st.sampled_from(["transfer", "cash", "other"]),
        "reference": TEXT,
    }
)


@SETTINGS
@given(values=PAYMENT_FIELDS)
@example(
    values={"amount": "1.000.000", "paid_on": "05/03/2025", "method": "cash", "reference": "<script>alert(1)</script>"}
)
def test_payment_form_answers_any_input_without_error_or_stray_write(staff, world, values):
    staff.force_login(world.staff)
    url = reverse("vendors:payment_create", kwargs={"pk": world.application_a.pk})
    with rolled_back():
        before = watched(world)
        response = staff.post(url, values)
        check(staff, response, before, world, url)
        assert (Payment.objects.count() == before["Payment"] + 1) == (response.status_code == 302)


DECISION_FIELDS = valid_then_spoiled(
    {
        "decision": st.sampled_from(["approve", "waitlist", "reject"]),
        "reason": NASTY,
        "confirm_over_capacity": st.sampled_from(["on", ""]),
    }
)


@SETTINGS
@given(values=DECISION_FIELDS, ticked=st.lists(some(NASTY, ["A", "B"]), max_size=3))
@example(values={"decision": "waitlist", "reason": "", "confirm_over_capacity": ""}, ticked=[HUGE_ID])
def test_decision_forms_answer_any_input_without_error_or_stray_write(staff, world, values, ticked):
    staff.force_login(world.staff)
    real = {"A": str(world.application_a.pk), "B": str(world.application_b.pk)}
    one = reverse("vendors:review_decide", kwargs={"pk": world.application_a.pk})
    bulk = reverse("vendors:review_bulk", kwargs={"slug": world.fair.slug})
    for url, data in ((one, values), (bulk, {**values, "applications": [real.get(t, t) for t in ticked]})):
        with rolled_back():
            before = watched(world)
            response = staff.post(url, data)
            check(staff, response, before, world, url)


FILTER_FIELDS = st.fixed_dictionaries(
    dict.fromkeys(("q", "status", "province", "kind", "category", "ocop", "missing_documents", "sort", "page"), NASTY)
)


@SETTINGS
@given(params=FILTER_FIELDS)
def test_review_filters_answer_any_input_without_error(staff, world, params):
    staff.force_login(world.staff)
    response = staff.get(reverse("vendors:review_list", kwargs={"slug": world.fair.slug}), params)
    # A control character in the query string is refused before the view (400); else the list.
    controlled = any(controls.has_control(value) for value in params.values())
    assert response.status_code == (400 if controlled else 200)
    assert_no_raw_script(response.content, "review_list")


# --- tokens in emailed links --------------------------------------------------------------------------


@SETTINGS
@given(first=NASTY, second=NASTY)
def test_links_with_any_token_answer_without_error_or_write(world, first, second):
    visitor = Client()
    segment_a, segment_b = quote(first or "x", safe=""), quote(second or "x", safe="")
    for path in (
        f"/account/verify/{segment_a}/{segment_b}/",
        f"/account/password-reset/{segment_a}/{segment_b}/",
        f"/invitations/{segment_a}/",
    ):
        with rolled_back():
            before = watched(world)
            for method in ("get", "post"):
                response = getattr(visitor, method)(path)
                # A control character in the path is refused before any view runs (400).
                allowed = (400,) if controls.has_control(unquote(path)) else (200, 302, 404, 405)
                assert response.status_code in allowed, (path, method, response.status_code)
                assert_no_raw_script(response.content, path)
            assert watched(world) == before


# --- the forms fuzzed elsewhere: the fixed edge catalogue, with row counts ------------------------------

# One of each kind (the hypothesis tests above draw from the whole lists).
CATALOGUE = [
    *EDGE[:11],
    "１２３",
    "\r\n\t\x0b\x0c\x1b\x7f",
    *SQLISH[:4],
    *XSS[:3],
    "a" * 5000,
    "ệ" * 5000,
    "\x00" * 300,
    "9" * 300,
]
ALREADY_FUZZED = {
    # url name: (who posts, field names)
    "signup": ("anonymous", ["email", "password1", "password2"]),
    "login": ("anonymous", ["username", "password"]),
    "resend_verification": ("anonymous", ["email"]),
    "password_reset": ("anonymous", ["email"]),
    "invite": ("owner", ["email"]),
    "profile_edit": (
        "owner",
        [
            "name", "short_name", "kind", "tax_code", "province", "commune", "address", "representative",
            "contact_name", "phone", "email", "website", "description", "categories",
        ],
    ),
    "product_create": (
        "owner",
        [
            "name", "category", "origin_province", "description", "ocop_stars", "ocop_decision_number",
            "ocop_decision_date", "ocop_issuer", "ocop_expires_on",
        ],
    ),
    "product_edit": (
        "owner",
        [
            "name", "category", "origin_province", "description", "ocop_stars", "ocop_decision_number",
            "ocop_decision_date", "ocop_issuer", "ocop_expires_on",
        ],
    ),
    "profile_create": ("no_business", ["name", "kind", "tax_code", "province", "phone", "email", "website"]),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ALREADY_FUZZED))
def test_fuzzed_elsewhere_form_refuses_every_edge_value_and_writes_nothing(world, name):
    role, fields = ALREADY_FUZZED[name]
    visitor = Client(REMOTE_ADDR="203.0.113.7")
    if role != "anonymous":
        visitor.force_login(world.users[role])
    kwargs = {"pk": world.product_a.pk} if name == "product_edit" else None
    url = reverse(f"vendors:{name}", kwargs=kwargs)
    for value in CATALOGUE:
        with rolled_back():
            before = watched(world)
            response = visitor.post(url, dict.fromkeys(fields, value))
            # 429: the login form's lockout after repeated failures (django-axes), also a refusal;
            # 400: a control character, refused before any view runs.
            expected = (400,) if controls.has_control(value) else (200, 429)
            assert response.status_code in expected, (name, repr(value[:40]), response.status_code)
            assert_no_raw_script(response.content, name)
            assert watched(world) == before, (name, repr(value[:40]))
