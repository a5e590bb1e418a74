"""Forms of the service desk pages: queue filters, hotline intake, and one form per work-order action.

They parse and display input only; every rule is checked by propdesk.service when the data arrives.
"""

import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from propdesk.archive import selectors as archive_selectors
from propdesk.core.errors import NotFound
from propdesk.org import selectors as org_selectors
from propdesk.service.models import ChargeQuote, TemporaryMeasure, WorkOrder
from propdesk.service.workflow import A

WO = WorkOrder
BLANK = [("", "—")]


def staff_label(user) -> str:
    return f"{user.get_full_name() or user.username} · {user.get_role_display()}"


class QuickSelect(forms.Select):
    """A <select> rendered in Python: Django renders each <option> through a template, which for the
    queue's filters (hundreds of buildings and staff) cost more than the whole queue query."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = "" if value is None else str(value)
        attrs = self.build_attrs(self.attrs, attrs)
        options = format_html_join("", '<option value="{}"{}>{}</option>', (
            (key, mark_safe(" selected") if str(key) == chosen else "", label) for key, label in self.choices))
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(attrs), options)


def _int_choice(label, choices, **kwargs):
    return forms.TypedChoiceField(label=label, choices=BLANK + list(choices), coerce=int, empty_value=None,
                                  required=False, widget=QuickSelect, **kwargs)


def _choice(label, choices, **kwargs):
    return forms.ChoiceField(label=label, choices=BLANK + list(choices), required=False, widget=QuickSelect,
                             **kwargs)


class QueueFilterForm(forms.Form):
    """The queue's filters (GET). Choices come from the caller so that they are already scoped."""

    kind = _choice(_("Kind"), WO.Kind.choices)
    state = _choice(_("State"), WO.State.choices)
    priority = _choice(_("Priority"), WO.Priority.choices)
    category = _int_choice(_("Category"), [])
    building = _int_choice(_("Building"), [])
    assignee = _int_choice(_("Assignee"), [])
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    requester = forms.IntegerField(required=False, widget=forms.HiddenInput)
    warranty = forms.BooleanField(label=_("Warranty repairs only"), required=False)
    all = forms.BooleanField(label=_("Include closed"), required=False)

    def __init__(self, data, *, categories, buildings, staff):
        super().__init__(data)
        self.fields["category"].choices = BLANK + [(c.pk, str(c)) for c in categories]
        self.fields["building"].choices = BLANK + [(b.pk, f"{b.project.name} · {b.name}") for b in buildings]
        self.fields["assignee"].choices = BLANK + [(u.pk, staff_label(u)) for u in staff]

    def values(self) -> dict:
        """The valid filters; an invalid one is dropped rather than failing the whole queue."""
        self.is_valid()
        return {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data]
        return [super().clean(data, initial)] if data else []


class IntakeForm(forms.Form):
    """The hotline form: phone → caller → unit → kind → description → save, then the optional rest."""

    contact_phone = forms.CharField(label=_("Caller's phone"), max_length=20, required=False, widget=forms.TextInput(
        attrs={"autofocus": True, "autocomplete": "off", "inputmode": "tel"}))
    requester = forms.IntegerField(required=False, widget=forms.HiddenInput)
    contact_name = forms.CharField(label=_("Caller's name"), max_length=50, required=False)
    unit_label = forms.CharField(label=_("Unit"), max_length=40, required=False, widget=forms.TextInput(
        attrs={"placeholder": _("3-2-1201 or 3栋1201"), "autocomplete": "off"}))
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("Kind"), choices=WO.Kind.choices, initial=WO.Kind.REPAIR_HOME)
    description = forms.CharField(label=_("What is wrong"), widget=forms.Textarea(attrs={"rows": 3}))
    project = forms.TypedChoiceField(label=_("Project"), coerce=int, choices=[])
    channel = forms.ChoiceField(label=_("Channel"), choices=WO.Channel.choices, initial=WO.Channel.HOTLINE)
    category = _int_choice(_("Category"), [], help_text=_("Blank: as suggested."))
    priority = _choice(_("Priority"), WO.Priority.choices, help_text=_("Blank: as suggested."))
    complexity = _choice(_("Complexity (complaints)"), WO.Complexity.choices)
    building = _int_choice(_("Building (public area)"), [])
    location = forms.CharField(label=_("Location (public area)"), max_length=100, required=False)
    photos = MultipleFileField(label=_("Photos"), required=False)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, user, projects, categories, buildings, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["project"].choices = [(p.pk, p.name) for p in projects]
        if len(projects) == 1:
            self.fields["project"].initial = projects[0].pk
            self.fields["project"].widget = forms.HiddenInput()
        self.fields["category"].choices = BLANK + [(c.pk, str(c)) for c in categories]
        self.fields["building"].choices = BLANK + [(b.pk, b.name) for b in buildings]
        self.categories = {c.pk: c for c in categories}
        self.buildings = {b.pk: b for b in buildings}

    def clean(self):
        data = super().clean()
        try:
            data["project"] = org_selectors.get_project(self.user, data["project"]) if data.get("project") else None
            data["requester"] = (archive_selectors.get_customer(self.user, data["requester"])
                                 if data.get("requester") else None)
            data["unit"] = self._unit(data)
        except NotFound:
            raise ValidationError(_("The caller or the unit was not found; look them up again.")) from None
        data["category"] = self.categories.get(data.get("category"))
        data["building"] = self.buildings.get(data.get("building"))
        if data["unit"] is not None and data.get("project") and data["unit"].project_id != data["project"].pk:
            data["project"] = org_selectors.get_project(self.user, data["unit"].project_id)
        return data

    def _unit(self, data):
        if data.get("unit"):
            return org_selectors.get_unit(self.user, data["unit"])
        label = (data.get("unit_label") or "").strip()
        if not label:
            return None
        units = archive_selectors.lookup(self.user, label).units
        if len(units) != 1:
            self.add_error("unit_label", _("No single unit matches “%(label)s”: type building-entrance-number, "
                                           "e.g. 3-2-1201.") % {"label": label})
            return None
        return units[0]

    def service_data(self) -> dict:
        """Keyword arguments for service.services.create_work_order."""
        d = self.cleaned_data
        fields = ["project", "kind", "channel", "description", "unit", "building", "location", "requester",
                  "contact_name", "contact_phone", "category", "complexity", "idempotency_key"]
        return {**{f: d.get(f) for f in fields}, "priority": d.get("priority") or None,
                "location": d.get("location") or "", "complexity": d.get("complexity") or ""}


# -- actions on a work order ---------------------------------------------------------------------

class ActionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def params(self) -> dict:
        return {}


class PlainActionForm(ActionForm):
    """respond, start, resume, close: nothing but the version."""

    note = None


class DispatchForm(ActionForm):
    assignee = _int_choice(_("Assignee"), [])
    department = _int_choice(_("Department"), [])
    note = None

    def params(self):
        return {k: self.cleaned_data[k] for k in ("assignee", "department") if self.cleaned_data.get(k)}


class AcceptTransferForm(ActionForm):
    assignee = _int_choice(_("Assignee (blank: yourself)"), [])
    note = None

    def params(self):
        return {"assignee": self.cleaned_data["assignee"]} if self.cleaned_data.get("assignee") else {}


class TransferForm(ActionForm):
    department = _int_choice(_("Department"), [])

    def params(self):
        return {"department": self.cleaned_data.get("department")}


class ResolveForm(ActionForm):
    late_explanation = forms.CharField(label=_("Explanation of the delay given to the owner"), required=False,
                                       widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {"late_explanation": self.cleaned_data.get("late_explanation", "")}


class ConfirmForm(ActionForm):
    who = forms.CharField(label=_("Confirmed by"), max_length=50, required=False)
    note = None

    def params(self):
        return {"who": self.cleaned_data.get("who", "")}


class CallbackForm(ActionForm):
    reached = forms.TypedChoiceField(label=_("Owner reached"), coerce=lambda v: v == "yes", initial="yes",
                                     choices=[("yes", _("Yes")), ("no", _("No answer"))])
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, empty_value=None, required=False,
                                    choices=BLANK + [(n, str(n)) for n in range(5, 0, -1)])
    note = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def params(self):
        return {"reached": self.cleaned_data["reached"], "rating": self.cleaned_data.get("rating")}


class MergeForm(ActionForm):
    parent = forms.CharField(label=_("Merge into work order number"), max_length=20)
    note = None

    def clean_parent(self):
        pk = WorkOrder.id_from_number(self.cleaned_data["parent"])
        if pk is None:
            raise ValidationError(_("Type a work order number such as GD00000012."))
        return pk

    def params(self):
        return {"parent": self.cleaned_data["parent"]}


ACTION_FORMS = {
    A.RESPOND: PlainActionForm, A.START: PlainActionForm, A.RESUME: PlainActionForm, A.CLOSE: PlainActionForm,
    A.DISPATCH: DispatchForm, A.ACCEPT_TRANSFER: AcceptTransferForm, A.TRANSFER: TransferForm,
    A.HOLD: ActionForm, A.REOPEN: ActionForm, A.CANCEL: ActionForm, A.RESOLVE: ResolveForm,
    A.CONFIRM: ConfirmForm, A.CALLBACK: CallbackForm, A.MERGE: MergeForm,
}


def action_form(action: str, data=None, *, wo: WorkOrder, staff=(), departments=(), prefix=True):
    """The form of one action, with the staff and department choices the page passes in."""
    form = ACTION_FORMS[action](data, initial={"version": wo.version}, prefix=action if prefix else None)
    if "assignee" in form.fields:
        form.fields["assignee"].choices = BLANK + [(u.pk, staff_label(u)) for u in staff]
    if "department" in form.fields:
        form.fields["department"].choices = BLANK + [(d.pk, d.name) for d in departments]
    return form


# -- quote, consent, measures, notes -------------------------------------------------------------

class QuoteForm(forms.Form):
    cause = forms.CharField(label=_("Cause"), widget=forms.Textarea(attrs={"rows": 2}))
    method = forms.CharField(label=_("Repair method"), widget=forms.Textarea(attrs={"rows": 2}))
    price_item = forms.TypedChoiceField(label=_("Price list item"), coerce=int, choices=[])
    quantity = forms.DecimalField(label=_("Quantity"), min_value=0, decimal_places=2, initial=1)

    def __init__(self, *args, price_items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.price_items = {p.pk: p for p in price_items}
        self.fields["price_item"].choices = [(p.pk, str(p)) for p in price_items]

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {"cause": d["cause"], "method": d["method"], "price_item": self.price_items[d["price_item"]],
                "quantity": d["quantity"]}


class ConsentForm(forms.Form):
    consent_by = forms.CharField(label=_("Consent given by"), max_length=50)
    method = forms.ChoiceField(label=_("Consent method"), choices=ChargeQuote.ConsentMethod.choices)


class MeasureForm(forms.Form):
    kind = forms.ChoiceField(label=_("Measure"), choices=TemporaryMeasure.Kind.choices)
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 2}))
