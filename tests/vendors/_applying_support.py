"""Helpers shared by the applying and dashboard tests: a fair with zones, booth types, allowed
categories and required documents; a business with an account; documents of every kind."""

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from PIL import Image

from events.models import DocumentType
from tests import factories
from vendors.models import VendorMember


def en(name, **kwargs):
    """A URL of the English interface, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def at(days, hour=8):
    """An aware datetime `days` from today at `hour` o'clock, in the fair's time zone."""
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def member_of(vendor, **user_fields):
    user = factories.UserFactory(**user_fields)
    VendorMember.objects.create(vendor=vendor, user=user, role=VendorMember.Role.OWNER)
    return user


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def pdf_upload(name="giay-phep.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class Fair:
    """A fair open for applications with everything the form offers, and a business applying."""

    def __init__(self):
        self.event = factories.EventFactory(
            name="Tuần hàng Việt Nam VSIP Thủy Nguyên",
            slug="vsip-2024",
            booth_fee=6_000_000,
            subsidy_percent=30,
            max_booths_per_participant=3,
        )
        self.zone_a = factories.ZoneFactory(event=self.event, code="A", name="Khu OCOP", position=1)
        self.zone_b = factories.ZoneFactory(event=self.event, code="B", name="Khu nông sản", position=2)
        self.zone_c = factories.ZoneFactory(event=self.event, code="C", name="Khu thực phẩm chế biến", position=3)
        self.zone_d = factories.ZoneFactory(event=self.event, code="D", name="Khu hàng tiêu dùng", position=4)
        self.standard = factories.BoothTypeFactory(event=self.event, code="std", name="Gian tiêu chuẩn")
        self.double = factories.BoothTypeFactory(
            event=self.event, code="double", name="Gian đôi", width_m=6, is_standard=False
        )
        self.food = factories.CategoryFactory(name="Thực phẩm chế biến", slug="thuc-pham-che-bien")
        self.farm = factories.CategoryFactory(name="Nông sản", slug="nong-san")
        self.machines = factories.CategoryFactory(name="Cơ khí", slug="co-khi")  # not accepted by this fair
        self.event.categories.set([self.food, self.farm])
        self.registration = DocumentType.objects.create(name="Giấy chứng nhận đăng ký doanh nghiệp", slug="gcn-dkdn")
        self.food_safety = DocumentType.objects.create(name="Giấy chứng nhận cơ sở đủ điều kiện ATTP", slug="attp")
        self.unrelated = DocumentType.objects.create(name="Giấy chứng nhận OCOP", slug="ocop")
        self.event.required_documents.set([self.registration, self.food_safety])
        self.vendor = factories.VendorFactory(name="Công ty TNHH Nước mắm Cát Hải")
        self.user = member_of(self.vendor)
        self.fish_sauce = factories.ProductFactory(vendor=self.vendor, name="Nước mắm Cát Hải", category=self.food)
        self.rice = factories.ProductFactory(vendor=self.vendor, name="Gạo nếp cái hoa vàng", category=self.farm)
        self.lathe = factories.ProductFactory(vendor=self.vendor, name="Máy tiện mini", category=self.machines)

    def form_data(self, **overrides):
        data = {
            "booths_requested": "2",
            "booth_type": str(self.standard.pk),
            "zone_1": str(self.zone_b.pk),
            "zone_2": str(self.zone_a.pk),
            "zone_3": "",
            "categories": [str(self.food.pk), str(self.farm.pk)],
            "products": [str(self.fish_sauce.pk), str(self.rice.pk)],
            "note": "Xin gian gần cửa chính.",
            "action": "draft",
        }
        data.update(overrides)
        return {k: v for k, v in data.items() if v is not None}


def use_media_root(settings, tmp_path):
    """Point MEDIA_ROOT at an empty folder of the test's own (for the media_root fixtures)."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
