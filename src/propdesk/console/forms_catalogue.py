"""Forms of the price list, the FAQ and the paid-service report. They parse input; the services decide."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from propdesk.knowledge.models import Faq
from propdesk.service.models import PriceItem
from propdesk.service.revenue import REPAIRS, SPECIAL

BLANK = [("", "—")]


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class ProjectOwnedForm(forms.ModelForm):
    """A row that belongs to a project: chosen among the user's projects on adding, fixed after."""

    def __init__(self, *args, projects, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects
        if editing:
            del self.fields["project"]

    def data_for_service(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "project"}


class PriceItemForm(ProjectOwnedForm):
    """One line of the price list. `project` is offered only among the user's projects (on adding)."""

    project = ProjectChoiceField(label=_("Project"), queryset=None)

    class Meta:
        model = PriceItem
        fields = ["project", "kind", "name", "unit", "price", "description", "is_published"]


class FaqForm(ProjectOwnedForm):
    """An FAQ; project empty = every project (company administrators only)."""

    project = ProjectChoiceField(label=_("Project"), queryset=None, required=False,
                                 empty_label=_("Every project"))

    class Meta:
        model = Faq
        fields = ["project", "category", "question", "answer", "is_published"]
        widgets = {"answer": forms.Textarea(attrs={"rows": 6})}


class FaqSearchForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50,
                        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("e.g. leak, renovation, parking")}))
    category = forms.ChoiceField(label=_("Category"), required=False, choices=BLANK + Faq.Category.choices)


class RevenueFilterForm(forms.Form):
    """The paid-service report's filters: project, month (YYYY-MM), special services or chargeable repairs."""

    project = ProjectChoiceField(label=_("Project"), queryset=None, required=False, empty_label=_("All my projects"))
    month = forms.DateField(label=_("Month"), required=False, input_formats=["%Y-%m"],
                            widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"))
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[
        (SPECIAL, _("Special services")), (REPAIRS, _("Chargeable repairs"))])

    def __init__(self, data, *, projects):
        super().__init__(data)
        self.fields["project"].queryset = projects

    def values(self) -> dict:
        self.is_valid()
        data = {name: self.cleaned_data.get(name) for name in self.fields if name not in self.errors}
        return {"project_id": data.get("project").pk if data.get("project") else None,
                "month": data.get("month") or timezone.localdate().replace(day=1),
                "kind": data.get("kind") or SPECIAL}
