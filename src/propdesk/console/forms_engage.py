"""Forms of the callback plan: the outcome of a callback or door visit, and a care flag."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.engage.models import CareFlag
from propdesk.service.models import WorkOrder

BLANK = [("", "—")]
WORK_ORDER_KINDS = [(k, label) for k, label in WorkOrder.Kind.choices if k != WorkOrder.Kind.SPECIAL_SERVICE]


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
