"""Portal forms of public affairs (issue 13): they parse input; propdesk.affairs checks every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .forms_requests import MultipleFileInput, PhotosField

DATE = forms.DateInput(attrs={"type": "date"})


class HomeChoiceForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("Home"), coerce=int)

    def __init__(self, *args, homes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(o.unit_id, f"{o.unit.project.name} {o.unit.full_label}") for o in homes]


class RenovationForm(HomeChoiceForm):
    scope = forms.CharField(label=_("Scope of works"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    contractor = forms.CharField(label=_("Contractor"), max_length=100)
    foreman = forms.CharField(label=_("Foreman"), max_length=50)
    foreman_phone = forms.CharField(label=_("Foreman's phone"), max_length=20)
    workers = forms.CharField(label=_("Workers"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}), help_text=_("One per line: name and phone."))
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)
    fire_filing_ref = forms.CharField(label=_("Fire-safety filing reference"), required=False, max_length=60,
                                      help_text=_("Offices and shops only (消防报建)."))
    attachments = PhotosField(label=_("Drawings and attachments"), required=False,
                              widget=MultipleFileInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
                              help_text=_("PDF, JPEG or PNG, up to 10 files of 20 MB."))


class PassForm(HomeChoiceForm):
    carrier = forms.CharField(label=_("Carried by"), max_length=50)
    carrier_phone = forms.CharField(label=_("Carrier's phone"), required=False, max_length=20)
    date = forms.DateField(label=_("Release date"), widget=DATE)
    items = forms.CharField(label=_("Items"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One per line: item and quantity, e.g. 办公桌 4"))


class AuthoriseForm(forms.Form):
    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.item_fields = []
        for item in items:
            name = f"q{item.pk}"
            self.fields[name] = forms.IntegerField(label=item.name, min_value=0, max_value=item.quantity,
                                                   initial=item.quantity)
            self.item_fields.append((item, name))


class VisitorForm(HomeChoiceForm):
    visitor_name = forms.CharField(label=_("Visitor's name"), max_length=50)
    visitor_phone = forms.CharField(label=_("Visitor's phone"), required=False, max_length=20)
    date = forms.DateField(label=_("Date of the visit"), widget=DATE)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=50, initial=1)
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=50)
    plate = forms.CharField(label=_("Plate number"), required=False, max_length=20)
