"""Forms of meetings, reports, votes and the public relations register. They parse input; engage.assembly and engage.votes decide."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.engage.models import (
    Attendance,
    BodyContact,
    Dealing,
    Matter,
    Meeting,
    NonVoters,
    OutsideBody,
    Report,
)

from .forms_catalogue import ProjectChoiceField

LOCAL = {"type": "datetime-local"}
MATTERS_HELP = _("One matter per line: item | matter — the item of Civil Code art. 278 (1–9) decides the threshold: "
                 "6 raising the maintenance fund, 7 renovating or rebuilding, 8 changing the use of common parts "
                 "need three quarters; the others more than half. Example: 4 | Renew the contract of the property "
                 "company")


class MeetingForm(forms.Form):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    body = forms.ChoiceField(label=_("Body"), choices=Meeting.Body.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    starts_at = forms.DateTimeField(label=_("Time"), widget=forms.DateTimeInput(attrs=LOCAL))
    place = forms.CharField(label=_("Place"), max_length=100)
    agenda = forms.CharField(label=_("Agenda"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, projects, meeting=None, **kwargs):
        if meeting is not None and not (args and args[0] is not None):
            kwargs["initial"] = {f: getattr(meeting, f) for f in ("body", "title", "starts_at", "place", "agenda")}
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if meeting is not None:
            del self.fields["project"]

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "project"}


class SignInForm(forms.Form):
    phone = forms.CharField(label=_("Owner's phone"), max_length=20, required=False)
    name = forms.CharField(label=_("Or name"), max_length=100, required=False)
    capacity = forms.ChoiceField(label=_("As"), choices=Attendance.Capacity.choices)


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), max_length=20000, widget=forms.Textarea(attrs={"rows": 12}))


class ReportForm(forms.Form):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=Report.Kind.choices)
    title = forms.CharField(label=_("Title"), max_length=100)
    period = forms.CharField(label=_("Period"), max_length=30, required=False)
    body = forms.CharField(label=_("Text"), max_length=20000, required=False, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("File (PDF or .xlsx)"), required=False)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects

    def data_for_service(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("kind", "title", "period", "body")}


class RulesForm(forms.Form):
    non_voters = forms.ChoiceField(label=_("Owners who did not vote"), choices=NonVoters.choices,
                                   widget=forms.RadioSelect)
    reference = forms.CharField(label=_("Adopted by (resolution, date)"), max_length=200, required=False)


class VoteForm(forms.Form):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(label=_("Description"), required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=None, required=False)
    opens_at = forms.DateTimeField(label=_("Opens"), widget=forms.DateTimeInput(attrs=LOCAL))
    closes_at = forms.DateTimeField(label=_("Closes"), widget=forms.DateTimeInput(attrs=LOCAL))
    matters = forms.CharField(label=_("Matters"), help_text=MATTERS_HELP, max_length=8000,
                              widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, projects, vote=None, **kwargs):
        if vote is not None and not (args and args[0] is not None):
            kwargs["initial"] = {"title": vote.title, "description": vote.description, "meeting": vote.meeting,
                                 "opens_at": vote.opens_at, "closes_at": vote.closes_at,
                                 "matters": "\n".join(f"{m.item} | {m.title}" for m in vote.matters.all())}
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["meeting"].queryset = Meeting.objects.filter(project__in=projects).order_by("-starts_at")
        if vote is not None:
            del self.fields["project"]

    def clean_matters(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["matters"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"[|｜]", line, maxsplit=1)]
            if len(parts) != 2 or parts[0] not in Matter.Item.values:
                raise forms.ValidationError(_("Line %(n)d: write item | matter, the item from 1 to 9.") % {"n": n})
            rows.append({"item": parts[0], "title": parts[1]})
        return rows

    def data_for_service(self) -> dict:
        return {k: self.cleaned_data[k] for k in ("title", "description", "meeting", "opens_at", "closes_at")}


class BallotForm(forms.Form):
    """One choice per matter (field "m<id>"), and for staff the paper's number and a proxy."""

    def __init__(self, *args, matters, staff: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("for", _("For")), ("against", _("Against")), ("abstain", _("Abstain"))]
        for matter in matters:
            self.fields[f"m{matter.pk}"] = forms.ChoiceField(label=f"{matter.number}. {matter.title}",
                                                             choices=choices, widget=forms.RadioSelect)
        if staff:
            self.fields["paper_ref"] = forms.CharField(label=_("Paper ballot number"), max_length=40)
            self.fields["proxy_name"] = forms.CharField(label=_("Proxy (if any)"), max_length=100, required=False)
            self.fields["proxy_ref"] = forms.CharField(label=_("Power of attorney number"), max_length=40,
                                                       required=False)

    def choices(self) -> dict:
        return {name[1:]: value for name, value in self.cleaned_data.items() if name.startswith("m")}


# -- public relations ----------------------------------------------------------------------------------


class BodyForm(forms.ModelForm):
    project = ProjectChoiceField(label=_("Project"), queryset=None)

    class Meta:
        model = OutsideBody
        fields = ["project", "kind", "name", "address", "phone", "notes", "is_active"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, projects, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if editing:
            del self.fields["project"]

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "project"}


class ContactForm(forms.ModelForm):
    class Meta:
        model = BodyContact
        fields = ["name", "title", "phone", "email"]


class DealingForm(forms.ModelForm):
    class Meta:
        model = Dealing
        fields = ["kind", "date", "subject", "reference", "summary", "follow_up", "due_date"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "due_date": forms.DateInput(attrs={"type": "date"}),
                   "summary": forms.Textarea(attrs={"rows": 3})}


class SettleForm(forms.Form):
    note = forms.CharField(label=_("How it was settled"), max_length=500)
