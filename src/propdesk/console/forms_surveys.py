"""The survey composer: one form for the survey, its target and its questions (one per line)."""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer, Occupancy
from propdesk.org.models import Building
from propdesk.surveys.models import Question, Survey

from .forms_catalogue import BLANK, ProjectChoiceField

QUESTIONS_HELP = _("One question per line: kind | question | choices separated by ; — kinds: rating (1–5), "
                   "single, multiple, text. Example: single | How often do you visit the service centre? | "
                   "Weekly; Monthly; Rarely")


class SurveyForm(forms.Form):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    title = forms.CharField(label=_("Title"), max_length=100)
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    closes_at = forms.DateTimeField(label=_("Closes at"), required=False,
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    buildings = forms.ModelMultipleChoiceField(label=_("Buildings (none: all)"), queryset=None, required=False)
    roles = forms.MultipleChoiceField(label=_("Households of"), choices=Occupancy.Role.choices,
                                      widget=forms.CheckboxSelectMultiple, initial=[Occupancy.Role.OWNER])
    customer_type = forms.ChoiceField(label=_("Customer type"), required=False,
                                      choices=BLANK + list(Customer.CustomerType.choices))
    income_band = forms.ChoiceField(label=_("Income band"), required=False,
                                    choices=BLANK + [c for c in Customer.IncomeBand.choices if c[0]])
    gender = forms.ChoiceField(label=_("Gender"), required=False,
                               choices=BLANK + [c for c in Customer.Gender.choices if c[0]])
    age_min = forms.IntegerField(label=_("Age from"), required=False, min_value=0, max_value=120)
    age_max = forms.IntegerField(label=_("Age to"), required=False, min_value=0, max_value=120)
    previous = forms.ModelChoiceField(label=_("Compare with"), queryset=None, required=False)
    questions = forms.CharField(label=_("Questions"), help_text=QUESTIONS_HELP,
                                widget=forms.Textarea(attrs={"rows": 8}))

    def __init__(self, *args, projects, surveys, survey=None, **kwargs):
        if survey is not None and not (args and args[0] is not None):  # unbound: show the survey
            kwargs.setdefault("initial", initial_for(survey))
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        self.fields["buildings"].queryset = Building.objects.filter(project__in=projects).order_by("project_id", "code")
        self.fields["previous"].queryset = surveys.exclude(pk=getattr(survey, "pk", None))
        if survey is not None:
            del self.fields["project"]

    def clean_questions(self):
        rows = []
        for n, line in enumerate(self.cleaned_data["questions"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [p.strip() for p in re.split(r"[|｜]", line, maxsplit=2)]
            if len(parts) < 2 or parts[0] not in Question.Kind.values:
                raise forms.ValidationError(_("Line %(n)d: write kind | question | choices.") % {"n": n})
            choices = [c.strip() for c in re.split(r"[;；]", parts[2])] if len(parts) > 2 else []
            rows.append({"kind": parts[0], "text": parts[1], "choices": [c for c in choices if c]})
        if not rows:
            raise forms.ValidationError(_("Add at least one question."))
        return rows

    def data_for_service(self) -> dict:
        d = self.cleaned_data
        return {"title": d["title"], "intro": d["intro"], "closes_at": d["closes_at"], "roles": d["roles"],
                "buildings": list(d["buildings"]), "previous": d["previous"],
                "segment": {k: d[k] for k in ("customer_type", "income_band", "gender", "age_min", "age_max")}}


def initial_for(survey: Survey) -> dict:
    lines = [" | ".join([q.kind, q.text] + (["; ".join(q.choices)] if q.choices else []))
             for q in survey.questions.all()]
    return {"title": survey.title, "intro": survey.intro, "closes_at": survey.closes_at, "roles": survey.roles,
            "buildings": list(survey.buildings.all()), "previous": survey.previous, "questions": "\n".join(lines),
            **survey.segment}
