"""A refused form says what went wrong (issue 22, item 3), on every form page of the site.

Each row of PAGES opens a page as its visitor, takes the form the page renders (tests/hostile_forms.py
reads what a browser would send), replaces some fields by bad values and posts it. The answer must
carry, at the top of <main>, the error summary ("Có N lỗi cần sửa", N its items) whose links each
reach an element of the page; that element is marked aria-invalid="true" and its aria-describedby
(or its fieldset's) reads the message the summary gives; the title starts with "Lỗi: "; and every
value the visitor typed is in the form again. The same page opened afresh has neither summary nor
prefix (the control: a summary on every page would pass the rest).
"""

import io
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tests import matrix_world
from tests.form_pages import Page
from tests.hostile_forms import parse_page
from tests.matrix_world import client_as
from tests.vendors._boundary_support import FAST_HASHERS

LONG_NOTE = "Thiếu ổ cắm thứ hai " * 60  # past the check-in note's 1,000 characters


@dataclass
class Case:
    url: object  # world → path of the page
    actor: str
    bad: object  # world → {field name: value} replacing what the page rendered
    action: str | None = None  # path fragment of the form to post (default: the first POST form)
    typed: tuple = ()  # names whose typed value must come back (default: every text value of `bad`)
    files: dict = field(default_factory=dict)
    links: bool = True  # False: only the form's own (non-field) errors are expected


def _fair(w):
    return w.one.fair.slug


PAGES = {
    "signup": Case(
        lambda w: reverse("vendors:signup"),
        "anonymous",
        lambda w: {"email": "lan.nguyen@", "password1": "Hoa-sen-2025!", "password2": "Hoa-sen-2026!"},
        typed=("email",),
    ),
    "login": Case(
        lambda w: reverse("vendors:login"),
        "anonymous",
        lambda w: {"username": "chu.a@example.vn", "password": "sai-mat-khau"},
        typed=("username",),
        links=False,  # a wrong password is the form's error, named by no field
    ),
    "phone_login": Case(
        lambda w: reverse("vendors:phone_start"),
        "anonymous",
        lambda w: {"phone": "0912 34", "consent": []},
    ),
    "business_profile": Case(
        lambda w: reverse("vendors:profile_edit"),
        "business_a",
        lambda w: {"tax_code": "0100109107", "name": "Công ty TNHH Nước mắm Cát Hải Mới"},
    ),
    "product_form": Case(
        lambda w: reverse("vendors:product_create"),
        "business_a",
        lambda w: {"name": "", "description": "Chai 500 ml, đạm 40 độ"},
    ),
    "application_new": Case(
        lambda w: reverse("vendors:application_create", kwargs={"slug": w.fair2.slug}),
        "business_a",
        lambda w: {"booths_requested": "0", "note": "Xin gian gần cổng chính"},
    ),
    "application_draft": Case(
        lambda w: reverse("vendors:application_edit", kwargs={"pk": w.application_b.pk}),
        "business_b",
        lambda w: {"booths_requested": "-2", "note": "Cần điện ba pha"},
    ),
    "review_decision": Case(
        lambda w: reverse("vendors:review_detail", kwargs={"pk": w.one.application.pk}),
        "reviewer",
        lambda w: {"decision": "reject", "reason": "   "},
        action="/decide/",
        typed=(),
    ),
    "payment_record": Case(
        lambda w: reverse("vendors:review_detail", kwargs={"pk": w.one.application.pk}),
        "accountant",
        lambda w: {"amount": "hai triệu", "paid_on": "31/02/2025", "reference": "CK-A-0002"},
        action="/payments/",
    ),
    "checkin_handover": Case(
        lambda w: reverse("vendors:checkin_detail", kwargs={"slug": _fair(w), "pk": w.one.arrived.pk}),
        "floor",
        lambda w: {"note": LONG_NOTE},
        action="/handover/",
    ),
    "floorplan_generate": Case(
        lambda w: reverse("booths:floorplan", kwargs={"slug": _fair(w)}),
        "admin",
        lambda w: {"rows": "0", "columns": "300", "aisle": "3,5"},
        action="/generate/",
    ),
    "team_invite": Case(
        lambda w: reverse("team:page", kwargs={"pk": w.one.organiser.pk}),
        "admin",
        lambda w: {"contact": "lan@", "name": "Nguyễn Thị Lan"},
        action="/invite/",
    ),
    "document_upload": Case(
        lambda w: reverse(
            "vendors:document_upload", kwargs={"pk": w.application_b.pk, "document_type_id": w.document_type.pk}
        ),
        "business_b",
        lambda w: {},
        files={"file": SimpleUploadedFile("giay-phep.pdf", b"not a pdf at all", content_type="application/pdf")},
    ),
}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with (
        override_settings(MEDIA_ROOT=str(media), PASSWORD_HASHERS=FAST_HASHERS),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield matrix_world.build_matrix_world()
        transaction.set_rollback(True)


@pytest.fixture
def savepoint(world, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield world
        transaction.set_rollback(True)


def _actor(world, name):
    return None if name == "anonymous" else world.actors[name]


def _form(page, path, action):
    forms = [f for f in parse_page(page, path).forms if f.method == "post"]
    # Without `action`, the form that posts to the page itself (the navbar's language switcher
    # and log-out button are POST forms too).
    forms = [f for f in forms if (action in f.action if action else urlsplit(f.action).path == path)]
    assert forms, f"no POST form{' to ' + action if action else ''} on {path}"
    return forms[0]


def _post(world, case):
    client, token = client_as(_actor(world, case.actor))
    path = case.url(world)
    opened = client.get(path)
    assert opened.status_code == 200, (path, opened.status_code)
    form = _form(opened.content.decode(), path, case.action)
    data = form.data()
    data.update({name: value if isinstance(value, list) else [value] for name, value in case.bad(world).items()})
    data["csrfmiddlewaretoken"] = [token]
    data.update(case.files)
    answer = client.post(urlsplit(form.action).path, data, follow=True)
    return opened.content.decode(), answer


@pytest.mark.django_db
@pytest.mark.parametrize("name", list(PAGES))
def test_refused_form_says_what_went_wrong(savepoint, name):
    case = PAGES[name]
    fresh, answer = _post(savepoint, case)
    # A refused form answers 200 or 400 (check-in, team): the page comes back either way.
    assert answer.status_code in (200, 400), answer.redirect_chain
    html = answer.content.decode()
    page = Page(html)

    summary = page.summary()
    assert summary is not None, f"{name}: no error summary"
    assert summary.attrs.get("tabindex") == "-1"
    main = page.by_id["main"]
    assert main in summary.ancestors()
    items = [e for e in page.elements if e.tag == "li" and summary in e.ancestors()]
    assert page.by_id["error-summary-title"].text() == f"Có {len(items)} lỗi cần sửa"
    assert page.title().startswith("Lỗi: ")

    links = page.summary_links()
    assert bool(links) == case.links, f"{name}: summary links {links}"
    for target, text in links:
        element = page.by_id.get(target)
        assert element is not None, f"{name}: the summary links to #{target}, which is not on the page"
        assert element.attrs.get("aria-invalid") == "true", f"{name}: #{target} is not aria-invalid"
        message = text.split(": ", 1)[-1]
        assert message in page.described_by(element), f"{name}: #{target} is not described by “{message}”"

    typed = case.typed if case.typed else [k for k, v in case.bad(savepoint).items() if isinstance(v, str) and v]
    for field_name in typed:
        value = case.bad(savepoint)[field_name]
        # (in the posted form: a page with two forms can have two fields of that name)
        assert value.strip("\n") in page.value_of(field_name), f"{name}: {field_name} lost what was typed"

    # The control: before the refused submit the same page had neither summary nor title prefix.
    before = Page(fresh)
    assert before.summary() is None
    assert not before.title().startswith("Lỗi")


def test_summary_counts_in_english(client, db):
    """The heading follows the language (and its plural): an English visitor reads English."""
    with translation.override("en"):
        path = reverse("vendors:signup")
    answer = client.post(path, {"email": "x"})
    html = answer.content.decode()
    heading = Page(html).by_id["error-summary-title"].text()
    assert re.fullmatch(r"There (is 1 error|are \d+ errors) to fix", heading), heading
    assert Page(html).title().startswith("Error: ")


def _png(name):
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 120, 40)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


@pytest.mark.django_db
def test_a_good_file_on_a_refused_form_is_asked_for_again(savepoint):
    """A photo that passed its checks on a product refused for its empty name: the browser will not
    send it again, and the summary says so (the typed description is kept)."""
    product = PAGES["product_form"]
    case = Case(product.url, "business_a", product.bad, files={"image": _png("nuoc-mam.png")})
    _fresh, answer = _post(savepoint, case)
    page = Page(answer.content.decode())
    assert "chọn lại tệp cho Hình ảnh" in page.by_id["error-summary-files"].text()
    assert "Chai 500 ml, đạm 40 độ" in page.value_of("description")
