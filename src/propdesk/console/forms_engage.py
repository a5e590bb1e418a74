"""Forms of the engage domain: callbacks and care flags, activities, points. They parse input; the services
of propdesk.engage decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Occupancy
from propdesk.engage.models import CareFlag, EarnReason, Reward
from propdesk.org.models import Building
from propdesk.service.models import WorkOrder

from .forms_catalogue import ProjectChoiceField
from .forms_engage_notices import KeyedForm

BLANK = [("", "—")]
WORK_ORDER_KINDS = [(k, label) for k, label in WorkOrder.Kind.choices if k != WorkOrder.Kind.SPECIAL_SERVICE]
LOCAL = {"type": "datetime-local"}


class OutcomeForm(forms.Form):
    reached = forms.TypedChoiceField(label=_("Reached"), coerce=lambda v: v == "yes", initial="yes",
                                     choices=[("yes", _("Yes")), ("no", _("No answer"))])
    rating = forms.TypedChoiceField(label=_("Rating"), coerce=int, empty_value=None, required=False,
                                    choices=BLANK + [(n, str(n)) for n in range(5, 0, -1)])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    create_work_order = forms.BooleanField(label=_("Create a work order from it"), required=False)
    kind = forms.ChoiceField(label=_("Work order kind"), choices=WORK_ORDER_KINDS, initial=WorkOrder.Kind.INQUIRY,
                             required=False)
    description = forms.CharField(label=_("What the work order is about"), required=False,
                                  widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        if data.get("create_work_order") and not (data.get("description") or "").strip():
            self.add_error("description", _("Describe what the work order is about."))
        return data

    def outcome(self) -> dict:
        d = self.cleaned_data
        return {"reached": d["reached"], "rating": d.get("rating"), "comment": d.get("comment", ""),
                "create_work_order": d.get("create_work_order", False),
                "kind": d.get("kind") or WorkOrder.Kind.INQUIRY, "description": d.get("description", "")}


class CareFlagForm(forms.ModelForm):
    class Meta:
        model = CareFlag
        fields = ["reason", "note", "since", "until"]
        widgets = {"since": forms.DateInput(attrs={"type": "date"}), "until": forms.DateInput(attrs={"type": "date"})}


# -- activities ---------------------------------------------------------------------------------------


class ActivityForm(KeyedForm):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    place = forms.CharField(label=_("Place"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 4}))
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs=LOCAL))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs=LOCAL))
    capacity = forms.IntegerField(label=_("Capacity (places)"), min_value=1, max_value=100_000)
    max_seats = forms.IntegerField(label=_("Places per sign-up"), min_value=1, max_value=10, initial=4)
    signup_opens_at = forms.DateTimeField(label=_("Sign-up opens"), widget=forms.DateTimeInput(attrs=LOCAL))
    signup_closes_at = forms.DateTimeField(label=_("Sign-up closes"), widget=forms.DateTimeInput(attrs=LOCAL))
    buildings = forms.ModelMultipleChoiceField(label=_("Buildings (none: the whole project)"), queryset=None,
                                               required=False)
    roles = forms.MultipleChoiceField(label=_("Open to"), choices=Occupancy.Role.choices, required=False,
                                      widget=forms.CheckboxSelectMultiple,
                                      initial=[r for r, _label in Occupancy.Role.choices])

    FIELDS = ("title", "place", "description", "starts_at", "ends_at", "capacity", "max_seats", "signup_opens_at",
              "signup_closes_at", "roles")

    def __init__(self, *args, projects, activity=None, **kwargs):
        if activity is not None and not (args and args[0] is not None):
            kwargs["initial"] = {**{f: getattr(activity, f) for f in self.FIELDS},
                                 "buildings": list(activity.buildings.all())}
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["buildings"].queryset = Building.objects.filter(project__in=projects).order_by("project_id", "code")
        if activity is not None:
            del self.fields["project"]

    def data_for_service(self) -> dict:
        return {**{f: self.cleaned_data[f] for f in self.FIELDS}, "buildings": list(self.cleaned_data["buildings"])}


class DeskSignupForm(forms.Form):
    phone = forms.CharField(label=_("Resident's phone"), max_length=20)
    seats = forms.IntegerField(label=_("Places"), min_value=1, max_value=10, initial=1)


class DoorForm(forms.Form):
    typed = forms.CharField(label=_("Sign-up code or phone number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off",
                                                          "autofocus": True}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=200)


class RecordForm(forms.Form):
    record = forms.CharField(label=_("What happened"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))


class PhotosForm(forms.Form):
    caption = forms.CharField(label=_("Caption"), required=False, max_length=100)


# -- points -------------------------------------------------------------------------------------------


class AwardForm(forms.Form):
    reason = forms.ChoiceField(label=_("For"), choices=[(r, label) for r, label in EarnReason.choices
                                                         if r in ("suggestion", "referral", "article")])
    note = forms.CharField(label=_("What for"), max_length=200)
    ref = forms.CharField(label=_("Reference (work order number, contract, issue…)"), max_length=60, required=False)


class AdjustForm(forms.Form):
    amount = forms.IntegerField(label=_("Points (+/−)"), min_value=-100_000, max_value=100_000)
    note = forms.CharField(label=_("Why"), max_length=200)


class RedeemForm(forms.Form):
    reward = forms.ModelChoiceField(label=_("Reward"), queryset=None)
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=10, initial=1)

    def __init__(self, *args, rewards, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reward"].queryset = rewards


class RewardForm(forms.ModelForm):
    project = ProjectChoiceField(label=_("Project"), queryset=None)

    class Meta:
        model = Reward
        fields = ["project", "name", "description", "cost", "is_active"]

    def __init__(self, *args, projects, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if editing:
            del self.fields["project"]

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "project"}


class RestockForm(forms.Form):
    quantity = forms.IntegerField(label=_("Add to stock (− to take away)"), min_value=-100_000, max_value=100_000)
