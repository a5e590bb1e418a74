"""Forms of notices and saved segments. They parse input; engage.notices.services decides."""

import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer, Occupancy
from propdesk.engage.models import Notice, Segment
from propdesk.engage.points.value import BANDS
from propdesk.org.models import Building, Unit

from .forms_catalogue import BLANK, ProjectChoiceField

OUTBOUND = [(c, label) for c, label in Notice.Channel.choices if c in ("sms", "email", "wechat")]
_LABEL_SPLIT = re.compile(r"[-－—\s栋幢座单元室号]+")


class KeyedForm(forms.Form):
    """A create form carrying an idempotency key: a double submit or a retry creates one object."""

    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)


class NoticeForm(KeyedForm):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Notice.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    body = forms.CharField(label=_("Text"), max_length=4000, widget=forms.Textarea(attrs={"rows": 8}))
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=Notice.Channel.choices,
                                         widget=forms.CheckboxSelectMultiple, initial=["board", "in_app", "sms"])
    buildings = forms.ModelMultipleChoiceField(label=_("Buildings (none: the whole project)"), queryset=None,
                                               required=False)
    units = forms.CharField(label=_("Units"), required=False, max_length=2000,
                            help_text=_("Room numbers such as 3-2-1201, separated by commas."))
    roles = forms.MultipleChoiceField(label=_("Households of"), choices=Occupancy.Role.choices,
                                      widget=forms.CheckboxSelectMultiple, initial=["owner", "tenant"])
    segment = forms.ModelChoiceField(label=_("Segment"), queryset=None, required=False)
    scheduled_at = forms.DateTimeField(label=_("Send at (blank: when sent)"), required=False,
                                       widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, projects, notice=None, **kwargs):
        if notice is not None and not (args and args[0] is not None):
            kwargs.setdefault("initial", initial_for(notice))
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["buildings"].queryset = Building.objects.filter(project__in=projects).order_by("project_id", "code")
        self.fields["segment"].queryset = Segment.objects.filter(project__in=projects)
        self.notice = notice
        if notice is not None:
            del self.fields["project"]

    def _project_id(self):
        return self.notice.project_id if self.notice else getattr(self.cleaned_data.get("project"), "pk", None)

    def clean_units(self):
        labels = [x.strip() for x in re.split(r"[,，、;；\n]+", self.cleaned_data.get("units") or "") if x.strip()]
        project_id = self._project_id()
        units, unknown = [], []
        for label in labels:
            parts = [p for p in _LABEL_SPLIT.split(label) if p]
            qs = Unit.objects.filter(project_id=project_id)
            if len(parts) == 3:
                qs = qs.filter(building__code__iexact=parts[0], entrance__iexact=parts[1], number__iexact=parts[2])
            elif len(parts) == 2:
                qs = qs.filter(building__code__iexact=parts[0], number__iexact=parts[1])
            else:
                qs = qs.none()
            found = list(qs[:2])
            if len(found) == 1:
                units.append(found[0])
            else:
                unknown.append(label)
        if unknown:
            raise forms.ValidationError(_("No such unit in the project: %(labels)s") % {"labels": "、".join(unknown)})
        return units

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {k: d[k] for k in ("kind", "title", "body", "channels", "roles", "segment", "scheduled_at")} | {
            "buildings": list(d["buildings"]), "units": d["units"]}


def initial_for(notice: Notice) -> dict:
    return {"kind": notice.kind, "title": notice.title, "body": notice.body, "channels": notice.channels,
            "buildings": list(notice.buildings.all()), "roles": notice.roles, "segment": notice.segment,
            "scheduled_at": notice.scheduled_at, "units": ", ".join(u.label for u in notice.units.select_related(
                "building"))}


class ResendForm(forms.Form):
    channels = forms.MultipleChoiceField(label=_("Channels"), choices=OUTBOUND, initial=["sms"],
                                         widget=forms.CheckboxSelectMultiple)


class SegmentForm(forms.Form):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    name = forms.CharField(label=_("Name"), max_length=50)
    customer_type = forms.MultipleChoiceField(label=_("Customer type"), required=False,
                                              choices=Customer.CustomerType.choices,
                                              widget=forms.CheckboxSelectMultiple)
    income_band = forms.MultipleChoiceField(label=_("Income band"), required=False,
                                            choices=[c for c in Customer.IncomeBand.choices if c[0]],
                                            widget=forms.CheckboxSelectMultiple)
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=BLANK + [c for c in Customer.Gender.choices if c[0]])
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=150)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=150)
    value_bands = forms.MultipleChoiceField(label=_("Customer value"), required=False,
                                            choices=list(BANDS.items()), widget=forms.CheckboxSelectMultiple)

    CRITERIA = ("customer_type", "income_band", "gender", "age_min", "age_max", "value_bands")

    def __init__(self, *args, projects, segment=None, **kwargs):
        if segment is not None and not (args and args[0] is not None):
            kwargs.setdefault("initial", {"name": segment.name, **segment.criteria,
                                          "gender": (segment.criteria.get("gender") or [""])[0]})
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if segment is not None:
            del self.fields["project"]

    def criteria(self) -> dict:
        d = dict(self.cleaned_data)
        d["gender"] = [d["gender"]] if d.get("gender") else []
        return {k: d.get(k) for k in self.CRITERIA}
