"""Form pieces the tracking rooms share: the upload size limits and the workbook upload."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAX_FILE = 10 * 1024 * 1024
MAX_IMPORT = 20 * 1024 * 1024


class ImportFileForm(forms.Form):
    """Upload a workbook (.xlsx or .csv) of at most 20 MB."""

    file = forms.FileField(label=_("文件（.xlsx 或 .csv）"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if f.size > MAX_IMPORT:
            raise ValidationError(_("文件超过 20 MB"))
        return f
