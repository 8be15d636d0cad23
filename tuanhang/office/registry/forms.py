from django import forms
from django.utils.translation import gettext_lazy as _

from vendors.selectors.registry import vendor_by_code


class IdentityDecisionForm(forms.Form):
    """Approve (with a confirmation box) or reject (with a reason the business reads)."""

    APPROVE, REJECT = "approve", "reject"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (REJECT, _("Reject"))], widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label=_("I have checked the new identity against the registration papers"), required=False
    )
    reason = forms.CharField(
        label=_("Reason (the business reads it)"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("decision") == self.APPROVE and not cleaned.get("confirm"):
            self.add_error("confirm", _("Tick the box to confirm the approval."))
        if cleaned.get("decision") == self.REJECT and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why, for the business."))
        return cleaned


class MergeForm(forms.Form):
    """The two records by tax code (a former code finds the record that has it now)."""

    keep = forms.CharField(label=_("Tax code of the record to keep"), max_length=32)
    duplicate = forms.CharField(label=_("Tax code of the duplicate (it is deleted)"), max_length=32)
    confirm = forms.BooleanField(label=_("Merge them: this cannot be undone"), required=False)

    def _vendor(self, name):
        code = "".join(self.cleaned_data[name].split()).replace(".", "")
        vendor = vendor_by_code(code)
        if vendor is None:
            raise forms.ValidationError(
                _("No business has the tax code %(code)s."), params={"code": code}, code="unknown"
            )
        return vendor

    def clean_keep(self):
        return self._vendor("keep")

    def clean_duplicate(self):
        return self._vendor("duplicate")

    def clean(self):
        cleaned = super().clean()
        keep, duplicate = cleaned.get("keep"), cleaned.get("duplicate")
        if keep is not None and duplicate is not None and keep.pk == duplicate.pk:
            raise forms.ValidationError(_("Both codes name the same record."), code="same")
        return cleaned
