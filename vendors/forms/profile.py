import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import Category, Province
from events.reference import ProvinceResolver
from tuanhang.kernel.params import is_digits
from tuanhang.kernel.vn import clean_tax_code, fold, format_phone, parse_phone

from ..models import Vendor, VendorFormerCode


class ProvinceField(forms.ModelChoiceField):
    """A province chosen by code (from a select) or written as any name: current, pre-2025
    or a spelling variant ("Hải Dương", "TP HCM", "Thừa Thiên-Huế")."""

    default_error_messages = {
        "invalid_choice": _("Unknown province or city: “%(value)s”."),
    }

    def __init__(self, *, resolver=None, **kwargs):
        kwargs.setdefault("queryset", Province.objects.order_by("name"))
        super().__init__(**kwargs)
        self.resolver = resolver

    def to_python(self, value):
        if value in self.empty_values:
            return None
        value = str(value).strip()
        if is_digits(value, max_length=2):
            province = self.queryset.filter(pk=value.zfill(2)).first()
        else:
            if self.resolver is None:
                self.resolver = ProvinceResolver()
            province = self.resolver.resolve(value)
        if province is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})
        return province


_ID = re.compile(r"[0-9]{1,18}")


class CategoryNamesField(forms.ModelMultipleChoiceField):
    """Categories picked by id, or given as names (any accents/case) separated by ';'."""

    default_error_messages = {"invalid_choice": _("Unknown product category: “%(value)s”.")}

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Category.objects.all())
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    @staticmethod
    def _is_id(value) -> bool:
        # ASCII digits that fit a database integer ("²".isdigit() is true, and 2**63 overflows SQLite).
        return isinstance(value, int) or bool(_ID.fullmatch(str(value)))

    def clean(self, value):
        if isinstance(value, str):
            value = [part.strip() for part in value.split(";") if part.strip()]
        if value and not all(self._is_id(v) for v in value):
            by_name = {fold(c.name): c.pk for c in self.queryset}
            ids = []
            for name in value:
                if self._is_id(name):
                    ids.append(int(name))
                elif fold(name) in by_name:
                    ids.append(by_name[fold(name)])
                else:
                    raise ValidationError(
                        self.error_messages["invalid_choice"], code="invalid_choice", params={"value": name}
                    )
            value = ids
        return super().clean(value)


class VendorForm(forms.ModelForm):
    """The business profile. The import command validates each spreadsheet row with it too."""

    province = ProvinceField(label=_("Province / city"))
    categories = CategoryNamesField(label=_("Product categories"))
    # Longer than the stored 14 characters: people type spaces and dots that clean() removes.
    tax_code = forms.CharField(
        label=_("Tax code"), max_length=32, help_text=Vendor._meta.get_field("tax_code").help_text
    )
    phone = forms.CharField(label=_("Phone"), max_length=32, required=False)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")

    class Meta:
        model = Vendor
        fields = [
            "name",
            "short_name",
            "kind",
            "tax_code",
            "province",
            "address",
            "representative",
            "contact_name",
            "phone",
            "email",
            "website",
            "description",
            "categories",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.phone and not self.is_bound:
            self.initial["phone"] = format_phone(self.instance.phone)

    def tax_code_taken(self, tax_code: str) -> bool:
        """Whether another participant has this tax code, now or as a former code (a merged record's or
        a changed one's): the old code finds the business it belongs to. The import overrides it with a
        preloaded set."""
        return (
            Vendor.objects.filter(tax_code=tax_code).exclude(pk=self.instance.pk).exists()
            or VendorFormerCode.objects.filter(tax_code=tax_code).exclude(vendor_id=self.instance.pk).exists()
        )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())

    def clean_phone(self):
        raw = self.cleaned_data.get("phone", "")
        if not raw:
            return ""
        try:
            return parse_phone(raw)
        except ValueError:
            raise ValidationError(
                _("“%(value)s” is not a Vietnamese phone number (mobile 09xx xxx xxx or landline 02xx xxxx xxx)."),
                code="invalid_phone",
                params={"value": raw},
            ) from None

    def clean(self):
        cleaned = super().clean()
        raw, kind = cleaned.get("tax_code"), cleaned.get("kind")
        if raw and kind:
            try:
                cleaned["tax_code"] = clean_tax_code(raw, kind)
            except ValueError:
                if kind == Vendor.Kind.HKD:
                    msg = _("Enter a valid 10-digit tax code or the representative's 12-digit personal ID.")
                else:
                    msg = _("Enter a valid 10-digit tax code (or a branch code such as 0100109106-001).")
                self.add_error("tax_code", ValidationError(msg, code="invalid_tax_code"))
            else:
                if self.tax_code_taken(cleaned["tax_code"]):
                    self.add_error(
                        "tax_code",
                        ValidationError(_("A participant with this tax code is already registered."), code="unique"),
                    )
        return cleaned
