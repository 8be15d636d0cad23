"""Forms of the organisers' review: the list's filters, decisions (one or many) and payments."""

import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Column, Layout, Row, Submit
from django import forms
from django.core.exceptions import ValidationError
from django.db.models.functions import Collate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from events.models import Category, Province
from events.policy import fairs_filter
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.forms import IdMultipleChoiceField
from tuanhang.kernel.vn import fold
from tuanhang.office.review.selectors import DEFAULT_SORT
from vendors.models import Application, Payment, Vendor

A = Application.Status

# --- the list's filters --------------------------------------------------------------------


class ReviewFilterForm(forms.Form):
    """GET filters of the review list. A value that does not validate is shown with its error
    and left out of the filtering; the other filters still apply."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or tax code, accents optional")}),
    )
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("All but drafts")), *A.choices])
    province = forms.ModelChoiceField(
        label=_("Province / city"),
        required=False,
        queryset=Province.objects.order_by(Collate("name", VI_COLLATION)),
        empty_label=_("All provinces"),
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", _("All kinds")), *Vendor.Kind.choices])
    category = forms.ModelChoiceField(
        label=_("Category"), required=False, queryset=Category.objects.all(), empty_label=_("All categories")
    )
    ocop = forms.ChoiceField(
        label=_("OCOP"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Has an OCOP product")), ("no", _("No OCOP product"))],
    )
    missing_documents = forms.BooleanField(label=_("Missing documents only"), required=False)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("needs_review", _("Awaiting review first")),
            ("submitted", _("Submitted, oldest first")),
            ("-submitted", _("Submitted, newest first")),
            ("name", _("Name, A to Z")),
            ("-name", _("Name, Z to A")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "get"
        self.helper.form_id = "review-filters"
        self.helper.disable_csrf = True
        self.helper.layout = Layout(
            Row(
                Column("q", css_class="col-12 col-md-6 col-lg-4"),
                Column("status", css_class="col-6 col-md-3 col-lg-2"),
                Column("province", css_class="col-6 col-md-3 col-lg-2"),
                Column("kind", css_class="col-6 col-md-3 col-lg-2"),
                Column("category", css_class="col-6 col-md-3 col-lg-2"),
                Column("ocop", css_class="col-6 col-md-3 col-lg-2"),
                Column("sort", css_class="col-6 col-md-3 col-lg-2"),
                Column("missing_documents", css_class="col-12 col-md-6 col-lg-4 align-self-center"),
                Column(Submit("", _("Filter"), css_class="btn-primary"), css_class="col-auto align-self-center"),
            )
        )

    def filters(self) -> dict:
        """The valid filters as keyword arguments of selectors.review.review_applications."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "q": data.get("q") or "",
            "status": data.get("status") or "",
            "province": data.get("province"),
            "kind": data.get("kind") or "",
            "category": data.get("category"),
            "ocop": data.get("ocop") or "",
            "missing_documents": bool(data.get("missing_documents")),
            "sort": data.get("sort") or DEFAULT_SORT,
        }


# --- decisions ---------------------------------------------------------------------------

DECISIONS = {"approve": A.APPROVED, "waitlist": A.WAITLISTED, "reject": A.REJECTED}


class DecisionForm(forms.Form):
    """Approve, waitlist or reject with a reason (a rejection must give one). The decision comes
    from the button pressed; `confirm_over_capacity` is set by the warning page's button."""

    decision = forms.ChoiceField(
        choices=[("approve", _("Approve")), ("waitlist", _("Put on the waiting list")), ("reject", _("Reject"))],
        error_messages={"required": _("Choose a decision."), "invalid_choice": _("Choose a decision.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the participant and kept in the status history. Required to reject."),
    )
    confirm_over_capacity = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def to_status(self) -> str:
        return DECISIONS[self.cleaned_data["decision"]]

    def clean(self):
        cleaned = super().clean()
        # CharField strips the text, so a reason of only spaces is refused too.
        if cleaned.get("decision") == "reject" and not cleaned.get("reason"):
            self.add_error("reason", ValidationError(_("Give a reason for the rejection."), code="required"))
        return cleaned


class BulkDecisionForm(DecisionForm):
    """One decision for the applications ticked in the review list (of one fair)."""

    applications = IdMultipleChoiceField(
        queryset=Application.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={
            "required": _("Tick at least one application."),
            "invalid_choice": _("One of the ticked applications is not in this fair."),
            "invalid_pk_value": _("One of the ticked applications is not in this fair."),
        },
    )

    def __init__(self, *args, event, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Only this fair's applications, and only where the user may decide: an id of another fair
        # or organiser in the body is refused with the form's error and nothing is written.
        self.fields["applications"].queryset = (
            Application.objects.filter(event=event)
            .filter(fairs_filter(user, "application.decide", prefix="event__"))
            .select_related("vendor")
            .order_by(Collate("vendor__name", VI_COLLATION))
        )


# --- payments --------------------------------------------------------------------------------

_CURRENCY = re.compile(r"(₫|vnd|dong|d)$")
# ASCII digits only: int() would happily read other scripts' digits.
_PLAIN = re.compile(r"^\d+$", re.ASCII)
_DIGITS = re.compile(r"^[\d.,\s]+$", re.ASCII)
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$|^\d{1,3}(?:,\d{3})+$", re.ASCII)
MAX_PAYMENT = 1_000_000_000_000  # a thousand billion đồng: anything bigger is a typing slip


def parse_vnd(text: str) -> int:
    """An amount of đồng as people write it: "1.500.000", "1500000", "1 500 000", "1,500,000",
    optionally followed by ₫, đ, đồng or VND. Raises ValueError for anything else (fractions
    included: the đồng has no minor unit)."""
    compact = re.sub(r"\s+", "", fold(text or ""))
    compact = _CURRENCY.sub("", compact)
    if _PLAIN.match(compact) or _GROUPED.match(compact):
        return int(compact.replace(".", "").replace(",", ""))
    raise ValueError(text)


class AmountField(forms.Field):
    """A whole number of đồng written with or without thousands separators."""

    widget = forms.TextInput
    max_length = 40
    default_error_messages = {
        "invalid": _("Enter the amount in đồng as a whole number, for example 1.500.000 or 1500000."),
        "min_value": _("Enter an amount of at least 1 ₫."),
        "max_value": _("This amount is too large; check the number of zeros."),
    }

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        attrs.update({"inputmode": "numeric", "autocomplete": "off", "placeholder": "1.500.000"})
        attrs["maxlength"] = str(self.max_length)
        return attrs

    def to_python(self, value):
        value = str(value).strip() if value is not None else ""
        if value in self.empty_values:
            return None
        if len(value) > self.max_length:
            # Checked before parsing: int() refuses thousands of digits with an error of its own.
            code = "max_value" if _DIGITS.match(value) else "invalid"
            raise ValidationError(self.error_messages[code], code=code)
        try:
            amount = parse_vnd(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        if amount < 1:
            raise ValidationError(self.error_messages["min_value"], code="min_value")
        if amount > MAX_PAYMENT:
            raise ValidationError(self.error_messages["max_value"], code="max_value")
        return amount


DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class PaymentForm(forms.Form):
    """Money received for an application. Dates are dd/mm/yyyy whatever the interface language."""

    amount = AmountField(label=_("Amount (VND)"))
    paid_on = forms.DateField(
        label=_("Paid on"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
        error_messages={"invalid": _("Enter the date as dd/mm/yyyy, for example 05/03/2025.")},
    )
    method = forms.ChoiceField(label=_("Method"), choices=Payment.Method.choices, initial=Payment.Method.TRANSFER)
    reference = forms.CharField(
        label=_("Reference"),
        required=False,
        max_length=120,
        help_text=_("Bank transfer code, receipt number…"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("paid_on", timezone.localdate())
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_id = "payment-form"
        self.helper.layout = Layout(
            Row(
                Column("amount", css_class="col-sm-6"),
                Column("paid_on", css_class="col-sm-6"),
                Column("method", css_class="col-sm-6"),
                Column("reference", css_class="col-sm-6"),
            ),
            Submit("", _("Record the payment"), css_class="btn-primary"),
        )

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise ValidationError(_("The payment date cannot be in the future."), code="future")
        return paid_on
