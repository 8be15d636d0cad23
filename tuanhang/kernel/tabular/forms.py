"""The upload of a table: size limit, then read once into `form.table`."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .reading import ImportFileError

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class TableUploadForm(forms.Form):
    """Base of a form whose subclass declares `file` (a FileField, with its own label) and
    `table_format` (a TableFormat): a valid form has the file read into `self.table`."""

    table_format = None
    max_upload_bytes = MAX_UPLOAD_BYTES

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.max_upload_bytes:
            raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": self.max_upload_bytes // 2**20})
        try:
            self.table = self.table_format.read(upload, upload.name)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload
