"""Admin import of participant lists: upload, preview what would change, then confirm.

The page's steps and the waiting table are the kernel's (tuanhang.kernel.tabular.admin and
.pending). Confirming re-checks the rows against the database as it is then, and writes through
vendors.services.vendors_import.
"""

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.categories import category_key
from events.models import Category, Event
from events.policy import fairs_for, organisers_for
from events.services import NEW_CATEGORY
from tuanhang.kernel.tabular import TableUploadForm
from tuanhang.kernel.tabular import pending as pending_import
from tuanhang.kernel.tabular.admin import ImportAdminMixin

from .importing import COLUMNS, PARTICIPANT_LIST, import_with_mappings, validate_table

SESSION_KEY = "vendors_import"


class ImportUploadForm(TableUploadForm):
    file = forms.FileField(
        label=gettext_lazy("Participant list"),
        help_text=gettext_lazy("An .xlsx or .csv file (UTF-8) with a header row."),
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-opens_at"),
        required=False,
        label=gettext_lazy("Fair"),
        help_text=gettext_lazy("Optional: also give each participant an approved application to this fair."),
    )
    table_format = PARTICIPANT_LIST


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(required=False, label=gettext_lazy("Skip invalid rows and import the valid ones"))


LEAVE = ""
# Who may import into a fair decides its applications; the same role confirms the organiser's words.
IMPORT_CAPABILITY = "application.decide"


class CategoryMappingForm(forms.Form):
    """What staff choose for each category word of the list that matched no category (the plan's
    warnings): an existing category, a new category named as the word, or none. Each choice is
    remembered as the organiser's alias when the import is confirmed. `organisers` (an import
    without a fair whose organiser is not known) asks whose words these are."""

    def __init__(self, *args, warnings, organisers=None, may_create=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.warnings = warnings
        self.categories = {str(c.pk): c for c in Category.objects.order_by("position", "name")} if warnings else {}
        existing = [(pk, c.name) for pk, c in self.categories.items()]
        for n, warning in enumerate(warnings):
            self.fields[f"word_{n}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=category_key(warning["word"])
            )
            create = [(NEW_CATEGORY, _("Create the category “%(name)s”") % {"name": warning["word"]})]
            self.fields[f"map_{n}"] = forms.ChoiceField(
                label=warning["word"],
                required=False,
                choices=[
                    (LEAVE, _("Leave without category")),
                    *(create if may_create else []),
                    (_("Existing categories"), existing),
                ],
            )
        if organisers is not None:
            self.fields["organiser"] = forms.ModelChoiceField(
                queryset=organisers,
                required=False,
                label=gettext_lazy("Organiser"),
                help_text=gettext_lazy("Whose lists use these words: the choices are remembered for this organiser."),
            )

    @property
    def rows(self):
        """(warning, its hidden word field, its choice field) per unknown word, for the template."""
        return [(w, self[f"word_{n}"], self[f"map_{n}"]) for n, w in enumerate(self.warnings)]

    def clean(self):
        data = super().clean()
        self.mappings = []
        for n, warning in enumerate(self.warnings):
            if data.get(f"word_{n}") != category_key(warning["word"]):
                raise forms.ValidationError(
                    _("The unknown words of this list changed meanwhile: check the choices again.")
                )
            choice = data.get(f"map_{n}") or LEAVE
            if choice != LEAVE:
                target = NEW_CATEGORY if choice == NEW_CATEGORY else self.categories[choice]
                self.mappings.append((warning["word"], target))
        if self.mappings and "organiser" in self.fields and data.get("organiser") is None:
            self.add_error(
                "organiser",
                _("Choose the organiser whose lists use these words, or leave every word without category."),
            )
        return data


class VendorImportMixin(ImportAdminMixin):
    """Mixed into VendorAdmin: an "import" page beside the participant list."""

    change_list_template = "admin/vendors/vendor/change_list.html"
    import_template = "admin/vendors/vendor/import.html"
    import_title = gettext_lazy("Import participants")
    import_columns = COLUMNS
    import_session_key = SESSION_KEY
    upload_form_class = ImportUploadForm

    def import_pending_extra(self, form) -> dict:
        event = form.cleaned_data["event"]
        return {"event": event.pk if event else None}

    def import_fairs(self, request):
        """The fairs the import may give approved applications to: where the user decides them."""
        return fairs_for(request.user, "application.decide").order_by("-opens_at")

    def upload_form(self, request, *args):
        # The fair is chosen among the user's own: another organiser's fair posted here is a
        # field error and nothing is kept.
        form = super().upload_form(request, *args)
        form.fields["event"].queryset = self.import_fairs(request)
        return form

    def import_preview(self, request, waiting):
        return self._preview(request, waiting, ImportConfirmForm(initial={"token": waiting["token"]}))

    def import_confirm(self, request, pending):
        form = ImportConfirmForm(request.POST)
        if pending is None or not form.is_valid() or form.cleaned_data["token"] != pending["token"]:
            return self.stale_preview(request)
        found = self._fair_and_organiser(request, pending)
        if found is None:
            return self._fair_gone(request)
        event, organiser = found
        table = pending_import.load_table(pending)
        plan = validate_table(table, event=event, organiser=organiser)
        mapping = self._mapping_form(request, plan, organiser, request.POST)
        if not mapping.is_valid():
            return self._preview(request, pending, form, plan=plan, mapping=mapping)
        organiser = organiser or mapping.cleaned_data.get("organiser")
        try:
            plan, outcome = import_with_mappings(
                table,
                event=event,
                organiser=organiser,
                mappings=mapping.mappings,
                skip_invalid=form.cleaned_data["skip_invalid"],
                by=request.user,
            )
        except IntegrityError:
            messages.error(request, _("Someone changed the same participants meanwhile, so nothing was imported."))
            return self._preview(request, pending, form, mapping=mapping)
        if outcome.failed:
            self._refuse(request, outcome, form.cleaned_data["skip_invalid"])
            return self._preview(request, pending, form, mapping=mapping)
        self.forget_import(request)
        self._report(request, outcome, plan.event)
        return redirect(self.changelist_url())

    def _fair_gone(self, request):
        self.forget_import(request)
        messages.error(request, _("The fair chosen for this import no longer exists; upload the file again."))
        return redirect(request.path)

    def _mapping_form(self, request, plan, organiser, data=None):
        organisers = None
        if organiser is None and plan.warnings:
            organisers = organisers_for(request.user, IMPORT_CAPABILITY).order_by("name")
        # Categories are the installation's reference data: created here by whoever may add them in
        # the admin (as the import itself needs Django's permissions on the shared registry).
        may_create = request.user.has_perm("events.add_category")
        return CategoryMappingForm(data, warnings=plan.warnings, organisers=organisers, may_create=may_create)

    def _refuse(self, request, outcome, skip_invalid):
        if skip_invalid:
            messages.error(request, _("Nothing was imported: no row of the file is valid."))
            return
        count = outcome.error_row_count
        messages.error(
            request,
            ngettext(
                "Nothing was imported: %(count)s row has errors. Fix the file and upload it again, or tick "
                "“Skip invalid rows”.",
                "Nothing was imported: %(count)s rows have errors. Fix the file and upload it again, or tick "
                "“Skip invalid rows”.",
                count,
            )
            % {"count": count},
        )

    def _preview(self, request, pending, confirm_form, plan=None, mapping=None):
        found = self._fair_and_organiser(request, pending)
        if found is None:
            return self._fair_gone(request)
        event, organiser = found
        plan = plan or validate_table(pending_import.load_table(pending), event=event, organiser=organiser)
        mapping = mapping or self._mapping_form(request, plan, organiser)
        valid = plan.valid_rows
        context = {
            "plan": plan,
            "mapping_form": mapping,
            "organiser": organiser,
            "filename": pending["filename"],
            "confirm_form": confirm_form,
            "valid_count": len(valid),
            "invalid_count": len(plan.rows) - len(valid),
            "create_count": sum(1 for row in valid if row.action == "create"),
            "update_count": sum(1 for row in valid if row.action == "update"),
        }
        return self.render_import(request, context)

    def _report(self, request, outcome, event):
        text = _("Imported the participant list: %(created)s created, %(updated)s updated.") % {
            "created": outcome.created,
            "updated": outcome.updated,
        }
        if event is not None:
            text += " " + _(
                "Fair “%(fair)s”: %(created)s new approved applications, %(updated)s with a changed number of booths."
            ) % {"fair": event, "created": outcome.applications_created, "updated": outcome.applications_updated}
        messages.success(request, text)
        if outcome.identity_changes_held:
            messages.warning(
                request,
                ngettext(
                    "%(count)s participant that has applied to a fair has a new legal name or kind in the file: "
                    "the change waits for approval on the registry page and was not applied.",
                    "%(count)s participants that have applied to a fair have a new legal name or kind in the file: "
                    "the changes wait for approval on the registry page and were not applied.",
                    outcome.identity_changes_held,
                )
                % {"count": outcome.identity_changes_held},
            )
        if outcome.skipped:
            messages.warning(
                request,
                ngettext("Skipped %(count)s row with errors.", "Skipped %(count)s rows with errors.", outcome.skipped)
                % {"count": outcome.skipped},
            )

    def _fair_and_organiser(self, request, pending):
        """(fair, organiser) of the waiting import; None when its fair is gone (or no longer the
        user's). Without a fair, the organiser is the user's one organiser where it may import, if
        it has exactly one; else None (the preview asks, when there are words to remember)."""
        if pending["event"] is not None:
            event = self.import_fairs(request).select_related("organiser").filter(pk=pending["event"]).first()
            return None if event is None else (event, event.organiser)
        organisers = list(organisers_for(request.user, IMPORT_CAPABILITY)[:2])
        return None, organisers[0] if len(organisers) == 1 else None
