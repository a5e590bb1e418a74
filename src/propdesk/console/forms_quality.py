"""The quality dashboard's filters: whose figures (one of the user's projects, or the company for its
administrators) and which period (month, quarter or a custom range of local dates)."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from propdesk.org.access import ADMINS, has_role
from propdesk.quality import periods

COMPANY = "all"


class QualityFilterForm(forms.Form):
    project = forms.ChoiceField(label=_("Project"), required=False)
    period = forms.ChoiceField(label=_("Period"), required=False, choices=[
        (periods.MONTH, _("Month")), (periods.QUARTER, _("Quarter")), (periods.RANGE, _("Custom range"))])
    month = forms.CharField(label=_("Month"), required=False, max_length=7,
                            widget=forms.DateInput(attrs={"type": "month"}))
    quarter = forms.RegexField(label=_("Quarter"), required=False, regex=r"^\d{4}-?[Qq][1-4]$",
                               widget=forms.TextInput(attrs={"placeholder": "2026-Q4", "size": 8}))
    date_from = forms.DateField(label=pgettext_lazy("date range", "From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=pgettext_lazy("date range", "To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data, *, user, projects):
        super().__init__(data)
        self.projects = list(projects)
        self.company = has_role(user, ADMINS)
        choices = [(str(p.pk), p.name) for p in self.projects]
        if self.company:
            choices = [(COMPANY, _("All projects (company)")), *choices]
        self.fields["project"].choices = choices

    def values(self, today: dt.date | None = None) -> dict:
        """{"project_id": int or None (company view), "period": Period}. An invalid choice — another
        project's id, the company view asked for by a non-administrator — falls back to the default."""
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        chosen = data.get("project") or (COMPANY if self.company else "")
        if chosen == COMPANY and self.company:
            project_id = None
        elif chosen.isdigit():
            project_id = int(chosen)
        else:
            project_id = self.projects[0].pk if self.projects else None
        kind = data.get("period") or periods.MONTH
        value = data.get("quarter") if kind == periods.QUARTER else data.get("month")
        first, last = data.get("date_from"), data.get("date_to")
        period = periods.parse(kind, value, first.isoformat() if first else None,
                               last.isoformat() if last else None, today=today)
        return {"project_id": project_id, "period": period}

    def query(self, project_id, period: periods.Period) -> dict:
        """The query string that selects the same figures (drill-down links, export)."""
        q = {"project": COMPANY if project_id is None else str(project_id), "period": period.kind}
        if period.kind == periods.MONTH:
            q["month"] = f"{period.first:%Y-%m}"
        elif period.kind == periods.QUARTER:
            q["quarter"] = period.label
        else:
            q["date_from"], q["date_to"] = period.first.isoformat(), period.last.isoformat()
        return q
