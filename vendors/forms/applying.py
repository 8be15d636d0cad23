"""Forms of the applying part: the application to a fair, a required document, the withdrawal."""

from crispy_forms.bootstrap import StrictButton
from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.document_rules import questions_asked
from events.models import BoothType, Category, Zone
from tuanhang.kernel.forms import IdChoiceField, IdMultipleChoiceField
from tuanhang.kernel.uploads import clean_document

from ..models import Application
from ..selectors.registry import documents_to_reuse
from ..services.applying import MAX_ZONE_PREFERENCES
from .consent import ID_DOCUMENT_CONSENT, ID_DOCUMENT_PURPOSE, PersonalDataConsentField, purpose

ZONE_LABELS = [_("First choice"), _("Second choice"), _("Third choice")]

_YES_NO = [("yes", _("Yes")), ("no", _("No"))]

# NĐ 15/2018/NĐ-CP art. 12(1): who does not need the certificate of a food-safe establishment.
ATTP_EXEMPTIONS = [
    _("small-scale primary production (growing, raising, catching, harvesting);"),
    _("producing or selling food without a fixed place;"),
    _("small-scale preliminary processing;"),
    _("small-scale food trading;"),
    _("selling only pre-packaged food;"),
    _("making or selling food containers and packaging;"),
    _("restaurants inside hotels;"),
    _("canteens with no registered food business;"),
    _("street food;"),
    _("holding a valid GMP, HACCP, ISO 22000, IFS, BRC, FSSC 22000 or equivalent certificate."),
]


def _yes_no_field(label, help_text):
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=_YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        widget=forms.RadioSelect,
    )


def _question_fields() -> dict:
    """The plain questions a fair's document rules may depend on (only the ones its rules use are asked)."""
    exemptions = " ".join(f"• {text}" for text in ATTP_EXEMPTIONS)
    return {
        "attp_certificate_required": _yes_no_field(
            _(
                "Must your establishment hold the certificate of a food-safe establishment (Giấy chứng nhận cơ sở đủ "
                "điều kiện ATTP)?"
            ),
            _(
                "Most food producers and sellers need it. Under Decree 15/2018/NĐ-CP (art. 12) you do not if you "
                "are one of these: %(list)s If you are exempt, answer No: the fair then asks for a signed food-safety "
                "commitment instead."
            )
            % {"list": exemptions},
        ),
        "sells_packaged_food": _yes_no_field(
            _("Do you sell pre-packaged food that needs a product self-declaration (bản tự công bố sản phẩm)?"),
            _("Packaged food you produce and label yourself usually needs one; fresh produce sold loose does not."),
        ),
    }


class ProductChoiceField(IdMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.name} ({obj.category.name})"


class DocumentFileField(forms.FileField):
    """A required document sent with the application form: checked like every upload (by content)."""

    widget = forms.FileInput(attrs={"accept": "image/*,.heic,.heif,application/pdf,.pdf"})

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload:
            clean_document(upload)
        return upload


class ApplicationForm(forms.Form):
    """What a business asks of a fair. The choices offered are the fair's booth types, zones and
    allowed categories and the business's own products, so nothing else validates.

    Submitting (terms accepted, documents present) is checked by the service, not here, so that a
    draft can be saved incomplete."""

    # Files that pass their checks are kept on the draft even when another field is refused
    # (the views' _draft_with_documents): the error summary does not ask to choose them again.
    keeps_files = True

    booths_requested = forms.IntegerField(
        label=_("Number of booths"), min_value=1, error_messages={"min_value": _("Ask for at least 1 booth.")}
    )
    booth_type = IdChoiceField(label=_("Booth type"), queryset=BoothType.objects.none())
    categories = IdMultipleChoiceField(
        label=_("Product categories you will show"),
        queryset=Category.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    products = ProductChoiceField(
        label=_("Products you will show"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note to the organisers"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    accept_terms = forms.BooleanField(
        label=_("I have read and accept the terms of participation of this fair."),
        help_text=_("Needed to submit the application; a draft can be saved without it."),
        required=False,
    )

    def __init__(self, *args, event, vendor, application: Application | None = None, document_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event, self.vendor, self.application = event, vendor, application
        # The documents sent with a new application, on the same screen (photos from the phone's camera).
        self.document_types = {f"document_{t.pk}": t for t in document_types}
        for name, document_type in self.document_types.items():
            self.fields[name] = DocumentFileField(
                label=document_type.name,
                required=False,
                help_text=_("PDF, or a photo of the paper (JPEG, PNG, HEIC), at most 10 MB."),
            )
            if document_type.personal:
                # An identity document: its own consent box, needed only when a file is sent.
                self.fields[f"consent_{document_type.pk}"] = forms.BooleanField(
                    label=ID_DOCUMENT_CONSENT, required=False
                )
        self._set_reuse_fields(document_types)
        self._set_booth_fields(event)
        zone_count = self._set_zone_fields(event)
        allowed = list(event.categories.all())
        self.allowed_category_ids = {c.pk for c in allowed}
        self.fields["categories"].queryset = (
            Category.objects.filter(pk__in=self.allowed_category_ids) if allowed else Category.objects.all()
        )
        products = vendor.products.select_related("category").order_by("name")
        if allowed:
            products = products.filter(category__in=self.allowed_category_ids)
        self.fields["products"].queryset = products
        self.fields["products"].help_text = _(
            "Your products in the categories this fair accepts. Add products on the Products page to list them here."
        )
        self.questions = questions_asked(event.document_rules.all())
        question_fields = _question_fields()
        for name in self.questions:
            self.fields[name] = question_fields[name]
        if application is not None and not self.is_bound:
            self.initial.update(_initial(application))
        elif not self.is_bound:
            self.initial.update(self._prefill())
        self.helper = self._helper(zone_count)

    def _set_reuse_fields(self, document_types):
        """A ticked "reuse" box per document the business sent with an earlier application
        (selectors.registry.documents_to_reuse says which), beside that document's file field.
        The hidden list of what was offered tells an unticked box from a page that had none."""
        self.reuse_offered = documents_to_reuse(
            vendor=self.vendor, document_types=document_types, application=self.application
        )
        for type_pk, document in self.reuse_offered.items():
            sent_on = timezone.localtime(document.uploaded_at).strftime("%d/%m/%Y")
            self.fields[f"reuse_{type_pk}"] = forms.BooleanField(
                label=_("Reuse the file sent on %(date)s (%(name)s)")
                % {"date": sent_on, "name": document.original_name},
                initial=True,
                required=False,
            )
            self.fields[f"document_{type_pk}"].help_text = _(
                "Or untick the box and send a new file: PDF, or a photo of the paper (JPEG, PNG, HEIC), at most 10 MB."
            )
        if self.reuse_offered:
            self.fields["reuse_offered"] = forms.CharField(
                widget=forms.HiddenInput,
                required=False,
                initial=",".join(str(d.pk) for d in self.reuse_offered.values()),
            )

    def reuse_choices(self) -> dict:
        """{"reuse": documents to copy in, "reuse_declined": documents whose copy to take back}: a
        ticked box reuses its document unless a new file for it passed the checks; an unticked
        one (offered on the page that posted) means a new file will be sent."""
        cleaned = getattr(self, "cleaned_data", {})
        posted = set(self.data.get("reuse_offered", "").split(",")) if self.is_bound else set()
        new_files = {t.pk for t in self.valid_documents()}
        reuse, declined = [], []
        for type_pk, document in self.reuse_offered.items():
            if cleaned.get(f"reuse_{type_pk}") and type_pk not in new_files:
                reuse.append(document)
            elif str(document.pk) in posted and not cleaned.get(f"reuse_{type_pk}"):
                declined.append(document)
        return {"reuse": reuse, "reuse_declined": declined}

    def valid_documents(self) -> dict:
        """{document type: upload} of the files sent with the form that passed the checks, even when
        other fields did not: they are kept on the draft so that nobody has to choose them again."""
        cleaned = getattr(self, "cleaned_data", {})
        return {t: cleaned[name] for name, t in self.document_types.items() if cleaned.get(name)}

    def draft_fields(self, *, keep_terms=False) -> dict:
        """What of a refused form can be kept on a draft: the fields that passed, and for the rest
        what the draft already has (a new one: the defaults). The terms stay unaccepted unless
        `keep_terms` (an autosave records the box as it is)."""
        data, errors = getattr(self, "cleaned_data", {}), self.errors
        stored = _stored_fields(self.application) if self.application is not None else {}

        def kept(name, default):
            default = stored.get(name, default)
            return default if name in errors or data.get(name) is None else data[name]

        zones = [data.get(f"zone_{r}") for r in range(1, MAX_ZONE_PREFERENCES + 1)]
        zone_errors = any(f"zone_{r}" in errors for r in range(1, MAX_ZONE_PREFERENCES + 1))
        return {
            "booths_requested": kept("booths_requested", 1),
            "booth_type": kept(
                "booth_type", self.fields["booth_type"].initial if "booth_type" in self.fields else None
            ),
            "zones": stored.get("zones", []) if zone_errors else [z for z in zones if z is not None],
            "categories": list(kept("categories", [])),
            "products": list(kept("products", [])),
            "note": kept("note", ""),
            "accept_terms": bool(data.get("accept_terms")) if keep_terms else False,
            **{name: kept(name, None) for name in self.questions},
            **self.reuse_choices(),
        }

    def _prefill(self) -> dict:
        """A new application starts from what the business already told us, so that a business
        with an account applies to the next fair in one screen: its latest application to another
        fair (booth count, categories, products, its answers about its food business), else its
        products and their categories. Only what this fair offers is kept; the fair's own choices
        (booth type, zones) and the terms are left to the business."""
        offered_products = dict(self.fields["products"].queryset.values_list("pk", "category_id"))

        def offered_category(pk):  # a fair that names no categories takes every category
            return pk is not None and (not self.allowed_category_ids or pk in self.allowed_category_ids)

        previous = (
            Application.objects.filter(vendor=self.vendor)
            .exclude(event=self.event)
            .prefetch_related("categories", "products")
            .order_by("-created_at", "-id")
            .first()
        )
        if previous is None:
            products = list(offered_products)
            categories = {offered_products[pk] for pk in products}
            return {"products": products, "categories": sorted(pk for pk in categories if offered_category(pk))}
        initial = _initial(previous, zones=False)
        booths = self.fields["booths_requested"]
        return {
            "booths_requested": min(previous.booths_requested, booths.max_value or previous.booths_requested),
            "categories": [pk for pk in initial["categories"] if offered_category(pk)],
            "products": [pk for pk in initial["products"] if pk in offered_products],
            **{name: initial[name] for name in self.questions if initial.get(name) is not None},
        }

    def _set_booth_fields(self, event):
        limit = event.max_booths_per_participant
        booths = self.fields["booths_requested"]
        booths.max_value = limit
        booths.validators.append(_MaxBooths(limit))
        booths.widget.attrs.update({"min": 1, "max": limit})
        booths.help_text = _("Standard booths are 3 m × 3 m. This fair allows at most %(max)s per participant.") % {
            "max": limit
        }
        booths.initial = 1
        queryset = BoothType.objects.filter(event=event).order_by("-is_standard", "name")
        booth_types = list(queryset)
        if not booth_types:
            del self.fields["booth_type"]
            return
        field = self.fields["booth_type"]
        field.queryset = queryset
        field.empty_label = None if len(booth_types) == 1 else _("Choose a booth type")
        field.initial = next((t.pk for t in booth_types if t.is_standard), booth_types[0].pk)

    def _set_zone_fields(self, event) -> int:
        """Up to three ranked zone selects, as many as the fair has zones."""
        zones = Zone.objects.filter(event=event).order_by("position", "code")
        count = min(MAX_ZONE_PREFERENCES, zones.count())
        for rank in range(1, count + 1):
            self.fields[f"zone_{rank}"] = forms.ModelChoiceField(
                label=ZONE_LABELS[rank - 1], queryset=zones, required=False, empty_label=_("No preference")
            )
        return count

    def clean(self):
        cleaned = super().clean()
        for name, document_type in self.document_types.items():
            if document_type.personal and cleaned.get(name) and not cleaned.get(f"consent_{document_type.pk}"):
                self.add_error(
                    f"consent_{document_type.pk}",
                    _("Tick the box to agree: without your consent nothing can be saved."),
                )
                cleaned.pop(name, None)  # the file is not kept without the consent
        chosen = {}
        for rank in range(1, MAX_ZONE_PREFERENCES + 1):
            name = f"zone_{rank}"
            if name not in self.fields or name in self.errors:
                continue
            zone = cleaned.get(name)
            if zone is None:
                continue
            if rank > 1 and cleaned.get(f"zone_{rank - 1}") is None:
                self.add_error(name, _("Choose your preferences in order: fill in the choice above first."))
            elif zone.pk in chosen:
                self.add_error(name, _("You already chose this zone as choice %(rank)s.") % {"rank": chosen[zone.pk]})
            else:
                chosen[zone.pk] = rank
        return cleaned

    def service_fields(self) -> dict:
        """The cleaned values as the applying services take them."""
        data = self.cleaned_data
        zones = [data[f"zone_{r}"] for r in range(1, MAX_ZONE_PREFERENCES + 1) if data.get(f"zone_{r}") is not None]
        return {
            "booths_requested": data["booths_requested"],
            "booth_type": data.get("booth_type"),
            "zones": zones,
            "categories": list(data.get("categories") or []),
            "products": list(data.get("products") or []),
            "note": data.get("note", ""),
            "accept_terms": data.get("accept_terms", False),
            **{name: data.get(name) for name in self.questions},
            **self.reuse_choices(),
        }

    def _document_layout(self) -> list:
        items = []
        for name, document_type in self.document_types.items():
            if f"reuse_{document_type.pk}" in self.fields:
                items.append(f"reuse_{document_type.pk}")
            items.append(name)
            if document_type.personal:
                items += [purpose(ID_DOCUMENT_PURPOSE), f"consent_{document_type.pk}"]
        return items

    def _helper(self, zone_count) -> FormHelper:
        helper = FormHelper()
        helper.form_id = "application-form"
        helper.form_method = "post"
        # The page's script (static/js/autosave.js) saves the draft there as the user goes; a
        # submitted application is changed only with the form's button.
        if self.application is None:
            helper.attrs = {"data-autosave-url": reverse("vendors:application_autosave_new", args=[self.event.slug])}
        elif self.application.status == Application.Status.DRAFT:
            helper.attrs = {"data-autosave-url": reverse("vendors:application_autosave", args=[self.application.pk])}
        if self.application is not None:
            # Always to the application's own page: a draft made from a refused first post is shown
            # at the new-application URL, where a second post would find the fair already applied to.
            helper.form_action = reverse("vendors:application_edit", kwargs={"pk": self.application.pk})
        booth_fields = ["booths_requested"] + (["booth_type"] if "booth_type" in self.fields else [])
        parts = [Fieldset(_("Booths"), *booth_fields)]
        if zone_count:
            parts.append(Fieldset(_("Zone preferences"), *[f"zone_{r}" for r in range(1, zone_count + 1)]))
        parts.append(Fieldset(_("What you will show"), "categories", "products"))
        if self.questions:
            parts.append(Fieldset(_("About your food business"), *self.questions))
        if self.document_types:
            parts.append(Fieldset(_("Documents"), *self._document_layout()))
        if "reuse_offered" in self.fields:
            parts.append("reuse_offered")
        parts.append("note")
        if self.event.terms:
            parts.append(HTML('{% include "vendors/applying/_terms.html" %}'))
        parts.append("accept_terms")
        if self.application is not None and self.application.status == Application.Status.SUBMITTED:
            buttons = [
                StrictButton(_("Save changes"), type="submit", name="action", value="save", css_class="btn-primary")
            ]
        else:
            buttons = [
                StrictButton(
                    _("Save draft"), type="submit", name="action", value="draft", css_class="btn-outline-primary"
                ),
                StrictButton(
                    _("Submit application"), type="submit", name="action", value="submit", css_class="btn-primary"
                ),
            ]
        parts.append(Div(*buttons, css_class="d-flex flex-wrap gap-2 mt-3"))
        helper.layout = Layout(*parts)
        return helper


class _MaxBooths:
    """The fair's cap on booths, with a message that names it."""

    def __init__(self, limit):
        self.limit = limit

    def __call__(self, value):
        if value is not None and value > self.limit:
            raise ValidationError(
                _("This fair allows at most %(max)s booths per participant.") % {"max": self.limit}, code="max_value"
            )


def _initial(application: Application, zones=True) -> dict:
    initial = {
        "booths_requested": application.booths_requested,
        "booth_type": application.booth_type_id,
        "categories": [c.pk for c in application.categories.all()],
        "products": [p.pk for p in application.products.all()],
        "note": application.note,
        "accept_terms": application.terms_accepted_at is not None,
        "attp_certificate_required": _yes_no_initial(application.attp_certificate_required),
        "sells_packaged_food": _yes_no_initial(application.sells_packaged_food),
    }
    for preference in application.zone_ranks.all() if zones else ():
        initial[f"zone_{preference.rank}"] = preference.zone_id
    return initial


def _stored_fields(application: Application) -> dict:
    """A saved application's values as the applying services take them."""
    return {
        "booths_requested": application.booths_requested,
        "booth_type": application.booth_type,
        "zones": [preference.zone for preference in application.zone_ranks.all()],
        "categories": list(application.categories.all()),
        "products": list(application.products.all()),
        "note": application.note,
        "attp_certificate_required": application.attp_certificate_required,
        "sells_packaged_food": application.sells_packaged_food,
    }


def _yes_no_initial(value):
    return None if value is None else ("yes" if value else "no")


class DocumentUploadForm(forms.Form):
    """One required document: PDF, JPEG, PNG or HEIC by content (not by name), at most 10 MB.

    "image/*" lets a phone offer its camera; no capture attribute, which on Android opens the camera
    only and would hide the PDF a business already has."""

    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, or a photo of the paper (JPEG, PNG, HEIC), at most 10 MB."),
        widget=forms.FileInput(attrs={"accept": "image/*,.heic,.heif,application/pdf,.pdf"}),
    )

    def __init__(self, *args, document_type, action="", **kwargs):
        kwargs.setdefault("auto_id", f"id_document_{document_type.pk}_%s")
        super().__init__(*args, **kwargs)
        self.document_type = document_type
        self.fields["file"].label = document_type.name
        fields = ["file"]
        if document_type.personal:
            # An identity document: its purpose stated and the consent asked for, every upload.
            self.fields["consent"] = PersonalDataConsentField(label=ID_DOCUMENT_CONSENT)
            fields = ["file", purpose(ID_DOCUMENT_PURPOSE), "consent"]
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.form_action = action
        self.helper.layout = Layout(
            *fields,
            StrictButton(_("Upload"), type="submit", css_class="btn-outline-primary btn-sm"),
        )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.content_type = clean_document(upload)
        return upload


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Helps the organisers plan; they see it with your withdrawal."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True  # the page's own <form> carries the token
