"""The Vietnamese catalogue: complete, in step with the code, compiled, and what users see by default."""

import ast
import gettext
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import translation

from events.models import Event
from events.services import event_transition
from tests import factories
from vendors.forms import VendorForm
from vendors.models import Application, Vendor
from vendors.services import application_transition

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
PO = LOCALE_DIR / "vi" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")
# The directories `make messages` leaves out (see the Makefile's I18N_IGNORE).
IGNORED = [".venv*", "var", "node_modules", "static/vendor"]
COPY_IGNORED = [
    ".git",
    ".venv*",
    "venv",
    "var",
    "node_modules",
    "static",
    "locale",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    "test-results",
    "*.mo",
    "*.sqlite3*",
]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}")
TAG = re.compile(r"</?\w+[^>]*>")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False

    @property
    def key(self):
        return (self.msgctxt, self.msgid, self.msgid_plural)


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po file as msgfmt writes them: one block per entry, blocks separated by
    a blank line. The header (msgid "") is left out."""
    entries = []
    for block in path.read_text(encoding="utf-8").split("\n\n"):
        entry, target = Entry(), None
        for line in block.strip().splitlines():
            if line.startswith("#~"):
                entry.obsolete = True
            elif line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#") or not line.strip():
                continue
            elif line.startswith('"'):
                target = (target[0], target[1] + ast.literal_eval(line))
            else:
                if target:
                    _store(entry, *target)
                keyword, _, value = line.partition(" ")
                target = (keyword, ast.literal_eval(value))
        if target:
            _store(entry, *target)
        if entry.msgid:
            entries.append(entry)
    return entries


def _store(entry: Entry, keyword: str, value: str):
    if keyword.startswith("msgstr["):
        entry.msgstr[int(keyword[7:-1])] = value
    elif keyword == "msgstr":
        entry.msgstr[0] = value
    else:
        setattr(entry, keyword, value)


@pytest.fixture(scope="module")
def catalogue():
    assert PO.is_file(), f"{PO} is missing: run `make messages` and translate it."
    return read_po(PO)


# --- the catalogue itself ------------------------------------------------------------------


def test_catalogue_every_message_translated_and_none_fuzzy(catalogue):
    assert len(catalogue) > 300
    untranslated = [e.msgid for e in catalogue if not e.msgstr or not all(e.msgstr.values())]
    fuzzy = [e.msgid for e in catalogue if "fuzzy" in e.flags]
    obsolete = [e.msgid for e in catalogue if e.obsolete]
    assert untranslated == []
    assert fuzzy == []
    assert obsolete == []


def test_catalogue_header_declares_vietnamese_with_one_plural_form():
    header = PO.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert "#, fuzzy" not in header
    assert '"Language: vi\\n"' in header
    assert '"Content-Type: text/plain; charset=UTF-8\\n"' in header
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header


def test_catalogue_plural_messages_have_the_single_vietnamese_form(catalogue):
    plural = [e for e in catalogue if e.msgid_plural]
    assert plural
    assert [e.msgid for e in plural if set(e.msgstr) != {0}] == []


def test_catalogue_translations_keep_placeholders_and_markup(catalogue):
    wrong = []
    for entry in catalogue:
        source = entry.msgid + (entry.msgid_plural or "")
        for text in entry.msgstr.values():
            # A plural's one Vietnamese form may use the count only the English plural names.
            if set(PLACEHOLDER.findall(text)) - set(PLACEHOLDER.findall(source)):
                wrong.append((entry.msgid, text))
            if not entry.msgid_plural and sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(entry.msgid)):
                wrong.append((entry.msgid, text))
            if sorted(TAG.findall(text)) != sorted(TAG.findall(entry.msgid)):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_catalogue_covers_every_translatable_string_of_the_code(catalogue, tmp_path, monkeypatch):
    if not shutil.which("xgettext"):
        pytest.skip("GNU gettext (xgettext) is not installed")
    # makemessages writes into any "locale" directory it walks past, so it runs on a copy of the
    # sources (without their catalogues) and never touches the real one.
    source = tmp_path / "src"
    shutil.copytree(settings.BASE_DIR, source, ignore=shutil.ignore_patterns(*COPY_IGNORED))
    monkeypatch.chdir(source)
    with override_settings(LOCALE_PATHS=[tmp_path / "locale"]):
        call_command("makemessages", locale=["vi"], ignore_patterns=IGNORED, no_obsolete=True, verbosity=0)
    fresh = read_po(tmp_path / "locale" / "vi" / "LC_MESSAGES" / "django.po")
    assert len(fresh) > 300
    known = {e.key for e in catalogue}
    missing = sorted(e.msgid for e in fresh if e.key not in known)
    assert missing == [], "new strings: run `make messages` and translate them: " + repr(missing)


def test_compiled_catalogue_is_in_step_with_the_po_file(catalogue):
    assert MO.is_file(), f"{MO} is missing: run `make compilemessages`."
    with MO.open("rb") as fh:
        compiled = gettext.GNUTranslations(fh)._catalog
    stale = []
    for entry in catalogue:
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural:
            if compiled.get((msgid, 0)) != entry.msgstr[0]:
                stale.append(entry.msgid)
        elif compiled.get(msgid) != entry.msgstr[0]:
            stale.append(entry.msgid)
    assert stale == [], "run `make compilemessages`"


# --- what users see in the default language ------------------------------------------------


def test_default_language_is_vietnamese_for_status_labels():
    assert translation.get_language() == "vi"
    assert [str(label) for label in Event.Status.labels] == [
        "Bản nháp",
        "Đã công bố",
        "Đang nhận đăng ký",
        "Đã đóng đăng ký",
        "Đang diễn ra",
        "Đã kết thúc",
        "Đã lưu trữ",
    ]
    assert [str(label) for label in Application.Status.labels] == [
        "Bản nháp",
        "Đã nộp",
        "Đã duyệt",
        "Danh sách chờ",
        "Bị từ chối",
        "Đã rút đơn",
        "Đã huỷ",
    ]
    assert [str(label) for label in Vendor.Kind.labels] == [
        "Doanh nghiệp (DN)",
        "Hợp tác xã (HTX)",
        "Hộ kinh doanh (HKD)",
    ]


def _vendor_data(**overrides):
    return {
        "name": "Hợp tác xã Nông nghiệp Thủy Nguyên",
        "kind": "HTX",
        "tax_code": "0100109106",
        "province": "Hải Phòng",
        "phone": "0912 345 678",
        "email": "htx@thuynguyen.vn",
        **overrides,
    }


def test_vendor_form_bad_tax_code_rendered_in_vietnamese(db):
    form = VendorForm(data=_vendor_data(tax_code="0100109107"))
    assert not form.is_valid()
    message = "Nhập mã số thuế 10 chữ số hợp lệ (hoặc mã chi nhánh, ví dụ 0100109106-001)."
    assert form.errors["tax_code"] == [message]
    assert f"<li>{message}</li>" in str(form["tax_code"].errors)
    with translation.override("en"):
        form = VendorForm(data=_vendor_data(tax_code="0100109107"))
        assert form.errors["tax_code"] == ["Enter a valid 10-digit tax code (or a branch code such as 0100109106-001)."]


def test_vendor_form_household_and_phone_errors_in_vietnamese(db):
    form = VendorForm(data=_vendor_data(kind="HKD", tax_code="12345", phone="12345", province="Atlantis"))
    assert not form.is_valid()
    assert form.errors["tax_code"] == [
        "Nhập mã số thuế 10 chữ số hợp lệ hoặc số định danh cá nhân 12 chữ số của người đại diện."
    ]
    assert form.errors["phone"] == [
        "“12345” không phải số điện thoại Việt Nam (di động 09xx xxx xxx hoặc cố định 02xx xxxx xxx)."
    ]
    assert form.errors["province"] == ["Không tìm thấy tỉnh/thành phố “Atlantis”."]


def test_admin_site_header_in_vietnamese_and_english():
    assert str(admin.site.site_header) == "tuanhang – Quản lý hội chợ"
    with translation.override("en"):
        assert str(admin.site.site_header) == "tuanhang – Fair management"


def test_refused_status_steps_explained_in_vietnamese(db):
    event = factories.EventFactory(status=Event.Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        event_transition(event=event, to_status=Event.Status.FINISHED)
    assert refused.value.messages == ["Hội chợ không thể chuyển từ “Bản nháp” sang “Đã kết thúc”."]

    application = factories.ApplicationFactory(event=event, status=Application.Status.DRAFT)
    with pytest.raises(ValidationError) as refused:
        application_transition(application=application, to_status=Application.Status.APPROVED)
    assert refused.value.messages == ["Đơn đăng ký không thể chuyển từ “Bản nháp” sang “Đã duyệt”."]


# --- pages: Vietnamese by default, English under /en/ --------------------------------------


def _title(response):
    return re.search(r"<title>(.*?)</title>", response.content.decode(), re.S).group(1).strip()


def test_admin_login_page_vietnamese_by_default(client, db):
    response = client.get("/admin/login/")
    assert response.status_code == 200
    assert _title(response) == "Đăng nhập | tuanhang – Quản lý hội chợ"
    assert '<html lang="vi"' in response.content.decode()


def test_admin_login_page_english_under_the_en_prefix(client, db):
    response = client.get("/en/admin/login/")
    assert response.status_code == 200
    assert _title(response) == "Log in | tuanhang – Fair management"
    assert '<html lang="en"' in response.content.decode()


def test_language_switcher_from_vietnamese_sets_the_cookie_and_leads_to_the_english_page(client, db):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/admin/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/admin/login/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert _title(client.get(response["Location"])) == "Log in | tuanhang – Fair management"


def test_language_switcher_from_english_leads_back_to_the_vietnamese_page(client, db):
    import re

    english_page = client.get("/en/account/login/").content.decode()
    form = re.search(r'<form action="([^"]+)" method="post"[^>]*>.*?name="next" value="([^"]*)"', english_page, re.S)
    switcher, next_url = form.group(1), form.group(2)
    response = client.post(switcher, {"language": "vi", "next": next_url})
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "vi"
    assert response["Location"] == "/account/login/"
    assert "Đăng nhập" in _title(client.get(response["Location"]))
