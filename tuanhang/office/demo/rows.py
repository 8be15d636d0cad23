"""Rows of the demo fair, each created only when its natural key is missing.

Participants go through VendorForm + vendors.services.vendor_save, applications through
vendors.services.application_create / application_transition, booths through
booths.services.booth_assign, and the fair's status through events.services.event_transition.
"""

import datetime as dt
import io
from collections import defaultdict
from decimal import Decimal
from functools import cache

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.text import slugify
from openpyxl import Workbook
from openpyxl.styles import Font
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from booths.floorplan import hall_fit_error
from booths.models import Assignment, Booth
from booths.services import booth_assign
from events.models import (
    BoothType,
    Category,
    Commune,
    DocumentType,
    Event,
    FairDocumentRule,
    Membership,
    Organiser,
    OrganiserBankAccount,
    SubsidyProgramme,
    Zone,
)
from events.services import event_transition
from tuanhang.kernel.pdf.fonts import SANS, SANS_BOLD, register_fonts
from tuanhang.kernel.uploads import checked_template
from tuanhang.kernel.vn import fold
from vendors.forms import VendorForm
from vendors.models import Application, Product, Vendor, ZonePreference
from vendors.ocop import ocop_expiry
from vendors.services import application_create, application_transition, vendor_save
from vendors.services.amounts import recompute_amounts_due
from vendors.services.applying import application_document_upload
from vendors.services.documents import application_documents

from . import data
from .plan import BOOTH_DEPTH, HALL_DEPTH, HALL_WIDTH, booth_layout

USERNAME = "organiser"
A = Application.Status

# The path each final application status is reached by; "assign" gives the booth(s) on the way.
STATUS_PATHS = {
    A.DRAFT: [],
    A.SUBMITTED: [A.SUBMITTED],
    A.APPROVED: [A.SUBMITTED, A.APPROVED, "assign"],
    A.WAITLISTED: [A.SUBMITTED, A.WAITLISTED],
    A.REJECTED: [A.SUBMITTED, A.REJECTED],
    A.WITHDRAWN: [A.SUBMITTED, A.WITHDRAWN],
    A.CANCELLED: [A.SUBMITTED, A.APPROVED, "assign", A.CANCELLED],
}
# Share of approved applications that already have their booths (the rest wait for allocation).
ASSIGNED_SHARE = 0.75


def ensure_user(password):
    user, made = get_user_model().objects.get_or_create(
        username=USERNAME, defaults={"email": "organiser@example.com", "first_name": "Ban tổ chức"}
    )
    changed = made
    if not (user.is_staff and user.is_superuser and user.is_active):
        user.is_staff = user.is_superuser = user.is_active = True
        changed = True
    if made or not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    return user


def ensure_organiser(user, created, values=data.ORGANISER):
    """The organiser by name; `user` (if any) is one of its administrators."""
    values = dict(values)
    name, values["province_id"] = values.pop("name"), values.pop("province")
    organiser, made = Organiser.objects.get_or_create(name=name, defaults=values)
    created["organisers"] += made
    if user is not None:
        Membership.objects.get_or_create(organiser=organiser, user=user, defaults={"role": Membership.Role.ADMIN})
    return organiser


def ensure_categories(created):
    categories = {}
    for position, (name, is_food) in enumerate(data.CATEGORIES, start=1):
        slug = slugify(fold(name))
        category, made = Category.objects.get_or_create(
            name=name, defaults={"slug": slug, "is_food": is_food, "position": position}
        )
        created["categories"] += made
        categories[slug] = category
    return categories


def ensure_document_types(created):
    """The document types; returns those asked of everyone (the rules add the others per fair)."""
    by_slug = {}
    for slug, name, description in data.DOCUMENT_TYPES:
        document, made = DocumentType.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )
        created["document_types"] += made
        by_slug[slug] = document
    DocumentType.objects.filter(slug__in=data.FILLED_PER_FAIR, reusable=True).update(reusable=False)
    _ensure_registration_form(by_slug[data.REGISTRATION_FORM_SLUG])
    # The site prints it too: blank on the fair's page, prefilled on each application.
    DocumentType.objects.filter(slug=data.REGISTRATION_FORM_SLUG).update(generated_form=True)
    documents = [by_slug[slug] for slug in data.DOCUMENTS_FOR_EVERYONE]
    for slug, name, description in data.PERSONAL_DOCUMENT_TYPES:
        # Offered, not required of every business (only households have an owner's ID card).
        _, made = DocumentType.objects.update_or_create(
            slug=slug, defaults={"name": name, "description": description, "personal": True}
        )
        created["document_types"] += made
    return documents


def _at(today, days, hour):
    return timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour)))


def _ensure_registration_form(document_type):
    """The blank registration form (XLSX) the fair offers for download, checked like any template."""
    if document_type.template:
        return
    book = Workbook()
    sheet = book.active
    sheet.title = "Phiếu đăng ký"
    sheet["A1"] = "PHIẾU ĐĂNG KÝ THAM GIA TUẦN HÀNG"
    sheet["A1"].font = Font(bold=True, size=14)
    for row, label in enumerate(data.REGISTRATION_FORM_ROWS, start=3):
        sheet.cell(row=row, column=1, value=label)
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 60
    buffer = io.BytesIO()
    book.save(buffer)
    checked = checked_template(ContentFile(buffer.getvalue(), name="phieu-dang-ky.xlsx"))
    document_type.template.save(checked.file.name, checked.file, save=False)
    document_type.template_content_type = checked.content_type
    document_type.save(update_fields=["template", "template_content_type"])


def ensure_document_rules(event):
    """The fair's real rules: ATTP certificate or commitment by the business's answer, the
    self-declaration for packaged food, the OCOP certificate for OCOP products."""
    if event.document_rules.exists():
        return
    types = {t.slug: t for t in DocumentType.objects.filter(slug__in=[slug for slug, _ in data.DOCUMENT_RULES])}
    FairDocumentRule.objects.bulk_create(
        FairDocumentRule(event=event, document_type=types[slug], position=position, **conditions)
        for position, (slug, conditions) in enumerate(data.DOCUMENT_RULES)
    )


def ensure_event(organiser, categories, documents, user, today, created, values=data.EVENT):
    """The fair, dated around today so its dashboard is live: registration opened 12 days ago and
    closes in 11 days, booths are handed over in 20 days, the fair runs from day 21 to day 25."""
    values = dict(values)
    slug = values.pop("slug")
    event = Event.objects.filter(slug=slug).first()
    if event is not None:
        _ensure_hall_size(event)
        return event
    opens_at = _at(today, 21, 8)
    # The slug keeps its "2024" (the fair's natural key, in links already given out); the name
    # says the year the fair runs in.
    values["name"] = values["name"].format(year=timezone.localtime(opens_at).year)
    event = Event.objects.create(
        slug=slug,
        organiser=organiser,
        province_id=values.pop("province"),
        registration_opens_at=_at(today, -12, 8),
        registration_closes_at=_at(today, 11, 17),
        setup_at=_at(today, 20, 14),
        opens_at=opens_at,
        closes_at=_at(today, 25, 22),
        status=Event.Status.DRAFT,
        terms=data.TERMS,
        hall_width_m=HALL_WIDTH,
        hall_depth_m=HALL_DEPTH,
        **values,
    )
    event.categories.set(categories.values())
    event.required_documents.set(documents)
    ensure_document_rules(event)
    for step in (Event.Status.PUBLISHED, Event.Status.REGISTRATION_OPEN):
        event_transition(event=event, to_status=step, by=user)
    created["fairs"] += 1
    return event


def ensure_bank_account(event):
    """The organiser's receiving account (data.BANK_ACCOUNT), named by the fair when it names none."""
    values = dict(data.BANK_ACCOUNT)
    account, _made = OrganiserBankAccount.objects.get_or_create(
        organiser=event.organiser,
        bank_bin=values.pop("bank_bin"),
        account_number=values.pop("account_number"),
        defaults=values,
    )
    if event.bank_account_id is None:
        event.bank_account = account
        event.save(update_fields=["bank_account"])
    return account


def ensure_subsidy_programme(event, created, values=data.SUBSIDY_PROGRAMME):
    """The organiser's khuyến công programme for the year the fair opens, and the fair under it
    (before its applications are approved, so approvals are granted through the services). A demo
    fair seeded before programmes existed gets it too, and its amounts are recomputed."""
    year = timezone.localtime(event.opens_at).year
    values = {key: value.format(year=year) if isinstance(value, str) else value for key, value in values.items()}
    programme, made = SubsidyProgramme.objects.get_or_create(
        organiser=event.organiser,
        name=values.pop("name"),
        defaults={"starts_on": dt.date(year, 1, 1), "ends_on": dt.date(year, 12, 31), **values},
    )
    created["subsidy_programmes"] += made
    if event.subsidy_programme_id is None:
        event.subsidy_programme = programme
        event.save(update_fields=["subsidy_programme"])
        recompute_amounts_due(event=event)
    return programme


def _ensure_hall_size(event):
    """Grow the hall of a fair seeded before the demo's hall was HALL_WIDTH × HALL_DEPTH (it was
    60 × 40 m, which left zones D and E outside) so its booths fit; a larger hall is left as it is."""
    width, depth = max(event.hall_width_m, HALL_WIDTH), max(event.hall_depth_m, HALL_DEPTH)
    if (width, depth) != (event.hall_width_m, event.hall_depth_m):
        event.hall_width_m, event.hall_depth_m = width, depth
        event.save(update_fields=["hall_width_m", "hall_depth_m"])


def ensure_booth_types(event):
    types = {}
    for code, values in data.BOOTH_TYPES.items():
        price = event.booth_fee * values["width_m"] * values["depth_m"] // 9
        types[code], _ = BoothType.objects.get_or_create(event=event, code=code, defaults={**values, "price": price})
        if not types[code].equipment:  # a demo seeded before booth types had equipment
            types[code].equipment = values["equipment"]
            types[code].save(update_fields=["equipment"])
    return types


def ensure_zones(event, categories, created):
    zones = {}
    for position, (code, name, colour, allowed) in enumerate(data.ZONES, start=1):
        zone, made = Zone.objects.get_or_create(
            event=event, code=code, defaults={"name": name, "colour": colour, "position": position}
        )
        if made:
            zone.categories.set([categories[slug] for slug in allowed])
            created["zones"] += 1
        zones[code] = zone
    return zones


def ensure_booths(event, zones, booth_types, created):
    """The demo's booths, each checked against the fair's hall like any other entry point's
    (booths.floorplan.hall_fit_error): a layout that leaves the hall stops the seed."""
    existing = set(Booth.objects.filter(event=event).values_list("code", flat=True))
    layout = booth_layout()
    outside = [
        message
        for code, _zone, _type, _row, x, y, width in layout
        if (
            message := hall_fit_error(f"Booth {code}", x, y, width, BOOTH_DEPTH, event.hall_width_m, event.hall_depth_m)
        )
    ]
    if outside:
        raise ValueError(f"{len(outside)} of the demo's booths do not fit its hall; the first: {outside[0]}")
    new = [
        Booth(
            event=event,
            zone=zones[zone_code],
            booth_type=booth_types[type_code],
            code=code,
            row=row,
            x=Decimal(x),
            y=Decimal(y),
            width=Decimal(width),
            depth=Decimal(BOOTH_DEPTH),
            blocked=code in data.BLOCKED,
            blocked_reason=data.BLOCKED.get(code, ""),
        )
        for code, zone_code, type_code, row, x, y, width in layout
        if code not in existing
    ]
    Booth.objects.bulk_create(new)
    created["booths"] += len(new)


def communes_by_province():
    communes = defaultdict(list)
    rows = Commune.objects.filter(province_id__in=data.PROVINCES).order_by("code")
    for province, code, name in rows.values_list("province_id", "code", "name"):
        communes[province].append((code, name))
    return communes


def ensure_vendors(plans, categories, created):
    """Participants by tax code, each created through the VendorForm and vendors.services.vendor_save
    like a web registration (so the same validation runs); existing ones are left untouched."""
    vendors = Vendor.objects.in_bulk([plan.tax_code for plan in plans], field_name="tax_code")
    for plan in plans:
        if plan.tax_code in vendors:
            continue
        form = VendorForm(
            data={
                "name": plan.name,
                "short_name": plan.short_name,
                "kind": plan.kind,
                "tax_code": plan.tax_code,
                "province": plan.province,
                "address": plan.address,
                "representative": plan.representative,
                "contact_name": plan.contact_name,
                "phone": plan.phone,
                "email": plan.email,
                "categories": [categories[slug].pk for slug in plan.categories],
            },
            instance=Vendor(commune_id=plan.commune),
        )
        if not form.is_valid():
            raise ValueError(f"Demo participant {plan.name} is invalid: {form.errors.as_json()}")
        vendors[plan.tax_code] = vendor_save(form=form)
        created["participants"] += 1
    return vendors


def ensure_products(plans, vendors, categories, created):
    existing = set(
        Product.objects.filter(vendor__in=[vendors[p.tax_code] for p in plans]).values_list("vendor_id", "name")
    )
    for plan in plans:
        vendor = vendors[plan.tax_code]
        for item in plan.products:
            if (vendor.pk, item.name) in existing:
                continue
            Product(
                vendor=vendor,
                name=item.name,
                category=categories[item.category],
                origin_province_id=plan.province,
                ocop_stars=item.ocop_stars,
                ocop_decision_number=item.ocop_decision_number,
                ocop_decision_date=item.ocop_decision_date,
                ocop_issuer=item.ocop_issuer,
                # A certificate is valid for 36 months from its decision.
                ocop_expires_on=ocop_expiry(item.ocop_decision_date) if item.ocop_decision_date else None,
            ).save()
            created["products"] += 1


def ensure_applications(event, plans, vendors, zones, booth_types, categories, user, created):
    """Open and move each planned application through the services; booths for approved ones come
    from the hall plan in the participant's preferred zones (two side by side when two are asked)."""
    have = set(Application.objects.filter(event=event).values_list("vendor_id", flat=True))
    todo = [p for p in plans if p.status and vendors[p.tax_code].pk not in have]
    if not todo:
        return
    free = _FreeBooths(event)
    approved_seen = submitted_seen = 0
    products = defaultdict(dict)
    for product in Product.objects.filter(vendor__in=[vendors[p.tax_code] for p in todo]):
        products[product.vendor_id][product.name] = product
    # Cancelled ones first: they held a booth and gave it back, which frees it for later ones.
    for plan in sorted(todo, key=lambda p: p.status != A.CANCELLED):
        vendor = vendors[plan.tax_code]
        application = application_create(
            vendor=vendor,
            event=event,
            booths_requested=plan.booths_requested,
            booth_type=booth_types["double" if plan.double_booth else "standard"],
            by=user,
            attp_certificate_required=plan.attp_certificate_required,
            sells_packaged_food=plan.sells_packaged_food,
        )
        application.categories.set([categories[slug] for slug in plan.categories])
        application.products.set([products[vendor.pk][item.name] for item in plan.products])
        if plan.status != A.DRAFT:
            # Every other submitted one still lacks the documents its answers call for: staff's review.
            submitted_seen += plan.status == A.SUBMITTED
            upload_documents(application, user, complete=plan.status != A.SUBMITTED or submitted_seen % 2 == 0)
        ranks = [
            ZonePreference(application=application, zone=zones[code], rank=rank)
            for rank, code in enumerate(plan.zones, 1)
        ]
        ZonePreference.objects.bulk_create(ranks)
        for step in STATUS_PATHS[plan.status]:
            if step == "assign":
                approved_seen += plan.status == A.APPROVED
                if plan.status == A.CANCELLED:
                    # Given back in the next step, so the booth stays free for later participants.
                    free.assign(application, plan, user, confirm=True, keep_free=True)
                elif approved_seen <= ASSIGNED_SHARE * _approved_count():
                    free.assign(application, plan, user, confirm=approved_seen % 2 == 0)
                continue
            reason = plan.reason if step == plan.status else ""
            application_transition(application=application, to_status=step, by=user, reason=reason, notify=False)
        created["applications"] += 1


def upload_documents(application, user, *, complete):
    """Upload, through the service a business uses, a small PDF for each document the application
    still misses (the first type of a one-of group); with `complete` False only those asked of
    everyone. The application must still be editable (a draft, while registration is open)."""
    for requirement in application_documents(application).missing:
        document_type = requirement.document_types[0]
        if not complete and document_type.slug not in data.DOCUMENTS_FOR_EVERYONE:
            continue
        application_document_upload(
            application=application,
            document_type=document_type,
            upload=ContentFile(_document_pdf(document_type.name), name=f"{document_type.slug}.pdf"),
            by=user,
        )


@cache
def _document_pdf(title: str) -> bytes:
    """A one-page A4 PDF standing for a scanned copy of the document (one per document type, made once)."""
    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.setTitle(title)
    canvas.setFont(SANS_BOLD, 14)
    canvas.drawString(72, A4[1] - 96, title)
    canvas.setFont(SANS, 11)
    canvas.drawString(72, A4[1] - 120, "Bản sao – dữ liệu mẫu của hội chợ trình diễn.")
    canvas.save()
    return buffer.getvalue()


def _approved_count():
    return dict(data.APPLICATION_MIX)[A.APPROVED]


class _FreeBooths:
    """The fair's unblocked, unassigned booths by zone and row, kept up to date as booths are given."""

    def __init__(self, event):
        taken = Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).values("booth_id")
        booths = (
            Booth.objects.filter(event=event, blocked=False)
            .exclude(pk__in=taken)
            .select_related("zone", "booth_type")
            .order_by("zone__code", "row", "x")
        )
        self.rows = defaultdict(list)
        for booth in booths:
            self.rows[(booth.zone.code, booth.row)].append(booth)

    def _pick(self, zone_code, type_code, count):
        for (code, _row), booths in self.rows.items():
            if code != zone_code:
                continue
            fitting = [b for b in booths if b.booth_type.code == type_code]
            for i in range(len(fitting) - count + 1):
                run = fitting[i : i + count]
                # Side by side: each booth starts where the previous one ends (no aisle between).
                if all(b.x == a.x + a.width for a, b in zip(run, run[1:], strict=False)):
                    return run
        return None

    def assign(self, application, plan, user, confirm, keep_free=False):
        type_code, count = ("double", 1) if plan.double_booth else ("standard", plan.booths_requested)
        # Preferred zones first, then any zone that takes the participant's main category; the host
        # pavilion (no category limit) is for Hải Phòng participants only.
        main = plan.products[0].category
        fitting = [code for code, _, _, allowed in data.ZONES if main in allowed]
        for zone_code in [*plan.zones, *fitting]:
            run = self._pick(zone_code, type_code, count)
            if run:
                break
        else:
            return
        for booth in run:
            booth_assign(
                booth=booth,
                application=application,
                source=Assignment.Source.MANUAL if confirm else Assignment.Source.AUTO,
                by=user,
                confirm=confirm,
            )
            if not keep_free:
                self.rows[(booth.zone.code, booth.row)].remove(booth)
