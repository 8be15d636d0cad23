"""The statement pages' forms: the upload (file, receiving account, layout), the column mapping of
an unknown layout, the application search of the queue and the reversal's reason."""

from pathlib import Path

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import OrganiserBankAccount
from tuanhang.kernel.bank_statements import mapping_errors
from tuanhang.kernel.tabular.forms import MAX_UPLOAD_BYTES
from tuanhang.kernel.tabular.reading import ImportFileError, read_rows

from .pending import SUFFIXES

AUTO, MAP = "", "map"


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Bank statement"),
        help_text=gettext_lazy("The statement exported from internet banking, as .xlsx or .csv."),
    )
    account = forms.ModelChoiceField(
        label=gettext_lazy("Receiving account"), queryset=OrganiserBankAccount.objects.none(), empty_label=None
    )
    layout = forms.ChoiceField(label=gettext_lazy("Layout of the file"), required=False)

    def __init__(self, *args, organiser, profiles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].queryset = OrganiserBankAccount.objects.filter(organiser=organiser)
        self.fields["layout"].choices = [
            (AUTO, _("Recognise the bank automatically")),
            *[(p.code, p.name) for p in profiles],
            (MAP, _("Other bank: map the columns")),
        ]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
        if Path(upload.name).suffix.lower() not in SUFFIXES:
            raise ValidationError(
                _("Only .xlsx and .csv files can be imported; save the list in one of those formats.")
            )
        # Read once with the imports' own checked reader (a zip bomb, an .exe or HTML under a sheet's
        # name, a cut file, endless blank rows are refused here with its message, before anything is
        # kept for the preview).
        try:
            read_rows(upload, upload.name)
        except ImportFileError as error:
            raise ValidationError(str(error)) from None
        finally:
            upload.seek(0)
        return upload


MAPPED = (
    ("booked_on", gettext_lazy("Transaction date")),
    ("credit", gettext_lazy("Money received (credit)")),
    ("debit", gettext_lazy("Money paid out (debit)")),
    ("amount", gettext_lazy("Signed amount (instead of credit and debit)")),
    ("memo", gettext_lazy("Transfer memo")),
    ("reference", gettext_lazy("Bank's transaction reference")),
    ("balance", gettext_lazy("Running balance")),
)


class MappingForm(forms.Form):
    """One choice among the file's header cells per field; saved as the organiser's layout."""

    name = forms.CharField(
        label=gettext_lazy("Name of this layout"),
        max_length=80,
        help_text=gettext_lazy("E.g. the bank's name: the next statement of this bank is read with it."),
    )
    date_format = forms.ChoiceField(
        label=gettext_lazy("Dates are written as"),
        required=False,
        choices=[
            ("", gettext_lazy("Recognise (dd/mm/yyyy, yyyy-mm-dd …)")),
            ("%d/%m/%Y", "dd/mm/yyyy"),
            ("%m/%d/%Y", "mm/dd/yyyy"),
            ("%Y-%m-%d", "yyyy-mm-dd"),
            ("%d.%m.%Y", "dd.mm.yyyy"),
        ],
    )

    def __init__(self, *args, headers, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [(h, h) for h in dict.fromkeys(h for h in headers if h)]
        for key, label in MAPPED:
            self.fields[key] = forms.ChoiceField(label=label, choices=choices, required=False)

    def clean(self):
        data = super().clean()
        for message in mapping_errors(self.mapping()):
            self.add_error(None, message)
        return data

    def mapping(self) -> dict:
        data = getattr(self, "cleaned_data", {})
        return {key: data.get(key) for key, _label in MAPPED if data.get(key)}


class ApplicationSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Find the application"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("The business's name, its tax code, or the payment code."),
    )


class ReverseForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why is this line reversed?"),
        max_length=300,
        widget=forms.TextInput,
        error_messages={"required": gettext_lazy("Say why the line is reversed.")},
    )
