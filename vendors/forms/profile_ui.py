"""Forms of the business's own pages: its profile (with logo) and its products.

The profile form is VendorForm (the rules the import and the admin share) plus what only the
web page has: the commune of the chosen province, the logo, searchable selects and a layout.
Uploaded images are checked and re-encoded here (tuanhang.kernel.uploads.clean_image); the services
store them."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Fieldset, Layout, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.models import Category, Commune
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.params import is_digits
from tuanhang.kernel.uploads import clean_image

from ..models import Product, Vendor
from ..selectors.profile import commune_options, province_choices
from .consent import PROFILE_CONSENT, PROFILE_PURPOSE, PersonalDataConsentField, purpose
from .profile import CategoryNamesField, ProvinceField, VendorForm

# "image/*" lets a phone offer its camera and photo library; .heic/.heif name iPhone photos for the
# browsers that do not count them as images. The content is checked on the server whatever is sent.
IMAGE_ACCEPT = "image/*,.heic,.heif"
IMAGE_HELP = _("JPEG, PNG, WebP or HEIC (a phone photo), at most 5 MB and 40 megapixels.")


class SearchableSelect(forms.Select):
    """A select that works as is, and that static/js/profile.js gives a search box: each option
    carries an accent-free text (name plus other names) in data-search."""

    def __init__(self, attrs=None, choices=(), search_texts=None):
        attrs = {
            "data-filterable": "true",
            "data-filter-placeholder": _("Type to search…"),
            **(attrs or {}),
        }
        super().__init__(attrs, choices)
        self.search_texts = search_texts or {}

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        text = self.search_texts.get(str(value))
        if text:
            option["attrs"]["data-search"] = text
        return option


class CommuneField(forms.ModelChoiceField):
    default_error_messages = {"invalid_choice": _("Unknown commune or ward: choose one from the list.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Commune.objects.all())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)


class ImageUploadMixin:
    """One optional image field checked by content, and a box to remove the current image."""

    image_field = ""
    remove_field = ""

    def _clean_upload(self):
        upload = self.cleaned_data.get(self.image_field)
        if not upload:
            return None
        return clean_image(upload)

    def _has_image(self) -> bool:
        return bool(getattr(self.instance, self.image_field))

    def _drop_remove_box_without_image(self):
        """Nothing to remove: no box for it."""
        if not self._has_image():
            del self.fields[self.remove_field]

    def _image_layout(self, kind, label) -> list:
        """The image field for the layout; with an image stored, its thumbnail (`kind`, captioned
        `label`) before it and the remove box after it."""
        if not self._has_image():
            return [self.image_field]
        return [self._image_preview(kind, label), self.image_field, self.remove_field]

    def _image_preview(self, kind, label):
        """The current image's thumbnail, served through the permission-checked file view."""
        url = reverse("vendors:file", kwargs={"kind": kind, "pk": self.instance.pk})
        return HTML(
            format_html(
                '<figure class="mb-2"><img src="{}" alt="{}" class="img-thumbnail profile-image-preview" width="160" '
                'loading="lazy"><figcaption class="small text-body-secondary">{}</figcaption></figure>',
                url,
                label,
                label,
            )
        )


def _image_field(label, camera=False):
    """An optional picture; `camera`: one photo is expected, so a phone opens its back camera."""
    attrs = {"accept": IMAGE_ACCEPT, **({"capture": "environment"} if camera else {})}
    return forms.FileField(label=label, required=False, help_text=IMAGE_HELP, widget=forms.FileInput(attrs=attrs))


class VendorProfileForm(ImageUploadMixin, VendorForm):
    """The business's own profile page. For a new business (no instance) a tax code that is
    already registered gets a message pointing to an invitation, and nothing else about
    the business that holds it."""

    image_field, remove_field = "logo", "remove_logo"

    categories = CategoryNamesField(label=_("Product categories"), widget=forms.CheckboxSelectMultiple)
    commune = CommuneField(label=_("Commune / ward"))
    logo = _image_field(_("Logo"))
    remove_logo = forms.BooleanField(label=_("Remove the current logo"), required=False)

    class Meta(VendorForm.Meta):
        fields = [*VendorForm.Meta.fields, "commune"]
        widgets = {
            "kind": forms.RadioSelect,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "short_name": _("Printed on the fascia board of your booth; at most 60 characters."),
            "phone": _("Any writing works: 0912 345 678, +84 912 345 678, 0225 3842 123."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.pk:
            self.fields["personal_data_consent"] = PersonalDataConsentField(label=PROFILE_CONSENT)
        self.fields["kind"].choices = Vendor.Kind.choices
        self.fields["categories"].queryset = Category.objects.order_by("position", Collate("name", VI_COLLATION))
        self.fields["phone"].help_text = self._meta.help_texts["phone"]
        # Households are called on setup day: the business's own profile needs a phone (imports do not).
        self.fields["phone"].required = True
        self.fields["phone"].error_messages["required"] = _("Give a phone number: the organisers call it on setup day.")
        choices, search = province_choices()
        province = self.fields["province"]
        province.widget = SearchableSelect(search_texts=search)
        province.choices = [("", _("Choose a province or city")), *choices]
        commune = self.fields["commune"]
        commune.widget = SearchableSelect(
            attrs={"data-communes-url": reverse("vendors:communes"), "data-province-select": "id_province"}
        )
        commune.choices = [("", _("Not given")), *commune_options(self._chosen_province_code())]
        self._drop_remove_box_without_image()
        self.helper = self._helper()

    def _chosen_province_code(self) -> str:
        """The province whose communes the select lists: the one just sent, else the saved one."""
        if self.is_bound:
            sent = str(self.data.get(self.add_prefix("province"), "")).strip()
            return sent.zfill(2) if is_digits(sent, max_length=2) else ""
        return self.initial.get("province") or self.instance.province_id or ""

    def _helper(self):
        helper = FormHelper()
        helper.form_id = "vendor-profile-form"
        helper.attrs = {"novalidate": ""}
        logo = self._image_layout("logo_thumb", _("Current logo"))
        helper.layout = Layout(
            Fieldset(_("Business"), "name", "short_name", "kind", "tax_code"),
            Fieldset(_("Address"), "province", "commune", "address"),
            Fieldset(_("Contacts"), "representative", "contact_name", "phone", "email", "website"),
            Fieldset(_("About the business"), *logo, "description", "categories"),
        )
        if "personal_data_consent" in self.fields:
            helper.layout.append(Fieldset(_("Personal data"), purpose(PROFILE_PURPOSE), "personal_data_consent"))
        helper.add_input(Submit("save", _("Save the profile") if self.instance.pk else _("Create the profile")))
        return helper

    def clean_logo(self):
        return self._clean_upload()

    def clean(self):
        cleaned = super().clean()
        if self.has_error("tax_code", code="unique"):
            del self._errors["tax_code"]
            self.add_error("tax_code", self.tax_code_registered_error())
        province, commune = cleaned.get("province"), cleaned.get("commune")
        if commune is not None and province is not None and commune.province_id != province.pk:
            self.add_error(
                "commune",
                ValidationError(
                    _("%(commune)s is not in %(province)s: choose a commune or ward of that province."),
                    code="wrong_province",
                    params={"commune": commune.name, "province": province.name},
                ),
            )
        return cleaned

    def tax_code_registered_error(self) -> ValidationError:
        if self.instance.pk:
            return ValidationError(_("Another participant already uses this tax code."), code="unique")
        return ValidationError(
            _(
                "A business with this tax code is already registered. If you work for it, ask the owner of its "
                "account to invite you (from the “Members” page) instead of creating a second profile."
            ),
            code="registered",
        )


_OCOP_FIELDS = ("ocop_stars", "ocop_decision_number", "ocop_decision_date", "ocop_issuer", "ocop_expires_on")
_OCOP_REQUIRED = ("ocop_stars", "ocop_decision_number", "ocop_decision_date")


class DateInput(forms.DateInput):
    """The browser's date picker; it sends ISO dates, which the Vietnamese input formats accept."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class ProductForm(ImageUploadMixin, forms.ModelForm):
    """A product with its category, origin, image and optional OCOP certification. Any OCOP
    detail given asks for the stars, decision number and decision date; the expiry defaults to
    the decision date + 36 months (set by the service)."""

    image_field, remove_field = "image", "remove_image"

    origin_province = ProvinceField(label=_("Province of origin"), required=False)
    image = _image_field(_("Image"), camera=True)
    remove_image = forms.BooleanField(label=_("Remove the current image"), required=False)

    class Meta:
        model = Product
        fields = ["name", "category", "origin_province", "description", *_OCOP_FIELDS]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "ocop_decision_date": DateInput,
            "ocop_expires_on": DateInput,
        }
        help_texts = {
            "ocop_decision_number": _("As printed on the decision, e.g. 1234/QĐ-UBND."),
            "ocop_expires_on": _("Leave empty: 36 months after the decision date."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.order_by("position", Collate("name", VI_COLLATION))
        self.fields["category"].empty_label = _("Choose a category")
        self.fields["ocop_stars"].choices = [("", _("Not OCOP-certified")), *Product.Stars.choices]
        choices, search = province_choices()
        province = self.fields["origin_province"]
        province.widget = SearchableSelect(search_texts=search)
        province.choices = [("", _("Not given")), *choices]
        self._drop_remove_box_without_image()
        self.helper = self._helper()

    def _helper(self):
        helper = FormHelper()
        helper.form_id = "product-form"
        helper.attrs = {"novalidate": ""}
        image = self._image_layout("product_thumb", _("Current image"))
        helper.layout = Layout(
            Fieldset(_("Product"), "name", "category", "origin_province", *image, "description"),
            Fieldset(_("OCOP certification (optional)"), *_OCOP_FIELDS),
        )
        helper.add_input(Submit("save", _("Save the product")))
        return helper

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_ocop_decision_number(self):
        return " ".join(self.cleaned_data.get("ocop_decision_number", "").split())

    def clean_ocop_issuer(self):
        return " ".join(self.cleaned_data.get("ocop_issuer", "").split())

    def clean_image(self):
        return self._clean_upload()

    def clean(self):
        cleaned = super().clean()
        given = [name for name in _OCOP_FIELDS if cleaned.get(name) not in (None, "")]
        # A field that failed its own check counts as given: the person did type something.
        given += [name for name in _OCOP_FIELDS if name in self.errors]
        if given:
            for name in _OCOP_REQUIRED:
                if cleaned.get(name) in (None, "") and name not in self.errors:
                    self.add_error(
                        name,
                        ValidationError(
                            _("An OCOP certification needs its stars, decision number and decision date."),
                            code="ocop_incomplete",
                        ),
                    )
        decided, expires = cleaned.get("ocop_decision_date"), cleaned.get("ocop_expires_on")
        if decided and decided > timezone.localdate():
            self.add_error(
                "ocop_decision_date", ValidationError(_("The decision date is in the future."), code="future")
            )
        if decided and expires and expires <= decided:
            self.add_error(
                "ocop_expires_on",
                ValidationError(_("The expiry date must be after the decision date."), code="before_decision"),
            )
        return cleaned
