"""Forms of the public-affairs pages (issue 13). They parse input only; propdesk.affairs checks every rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.affairs.models import Handover, HandoverLine, PatrolInspection, Renovation
from propdesk.affairs.models.handover import ChecklistGroup
from propdesk.affairs.models.parking import SpaceKind
from propdesk.archive.models import Customer

from .forms_service import MultipleFileField, MultipleFileInput

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
MONEY = {"max_digits": 12, "decimal_places": 2, "min_value": 0}
DRAWINGS = "application/pdf,image/jpeg,image/png"


def drawings_field():
    """Drawings and attachments of a renovation: PDF, JPEG or PNG, checked by propdesk.affairs.attachments."""
    return MultipleFileField(label=_("Drawings and attachments"), required=False,
                             widget=MultipleFileInput(attrs={"accept": DRAWINGS}),
                             help_text=_("PDF, JPEG or PNG, up to 10 files of 20 MB."))


class ProjectForm(forms.Form):
    """Every create form starts with the project (choices already scoped by the view)."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, p.name) for p in projects]


class UnitPersonForm(ProjectForm):
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("e.g. 3-2-1201"))
    customer = forms.CharField(label=_("Customer"), max_length=50, help_text=_("Name or mobile in the archive"))


class HandoverStartForm(UnitPersonForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=Handover.Kind.choices)
    date = forms.DateField(label=_("Handover date"), widget=DATE)


class HandoverLineForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=[c for c in HandoverLine.Status.choices if c[0] != "pending"])
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=0, max_value=999)
    reading = forms.DecimalField(label=_("Meter reading"), required=False, max_digits=12, decimal_places=2, min_value=0)
    note = forms.CharField(label=_("Note"), required=False, max_length=200)


class RenovationForm(UnitPersonForm):
    scope = forms.CharField(label=_("Scope of works"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    contractor = forms.CharField(label=_("Contractor"), max_length=100)
    foreman = forms.CharField(label=_("Foreman"), max_length=50)
    foreman_phone = forms.CharField(label=_("Foreman's phone"), max_length=20)
    workers = forms.CharField(label=_("Workers"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One per line: name and phone."))
    planned_start = forms.DateField(label=_("Planned start"), widget=DATE)
    planned_end = forms.DateField(label=_("Planned end"), widget=DATE)
    fire_filing_ref = forms.CharField(label=_("Fire-safety filing reference"), required=False, max_length=60,
                                      help_text=_("Offices and shops only (消防报建)."))
    attachments = drawings_field()


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Renovation.Decision.choices)
    conditions = forms.CharField(label=_("Conditions"), required=False, max_length=1000,
                                 widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(label=_("Reason for rejection"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))


class AgreementForm(forms.Form):
    signed_by = forms.CharField(label=_("Agreement signed by"), max_length=50)
    deposit = forms.DecimalField(label=_("Deposit"), **MONEY)
    deposit_receipt = forms.CharField(label=_("Deposit receipt number"), max_length=40)
    fee = forms.DecimalField(label=_("Management fee"), required=False, **MONEY)
    fee_receipt = forms.CharField(label=_("Fee receipt number"), required=False, max_length=40)


class PermitForm(forms.Form):
    location = forms.CharField(label=_("Location"), max_length=100)
    work = forms.CharField(label=_("Work"), max_length=100, help_text=_("Welding, cutting, grinding…"))
    starts_at = forms.DateTimeField(label=_("Valid from"), widget=DATETIME)
    ends_at = forms.DateTimeField(label=_("Valid until"), widget=DATETIME)
    fire_watch = forms.CharField(label=_("Fire watch"), max_length=50)
    extinguisher_checked = forms.BooleanField(label=_("Extinguisher checked"), required=False)


class PatrolForm(forms.Form):
    result = forms.ChoiceField(label=_("Result"), choices=PatrolInspection.Result.choices,
                               widget=forms.RadioSelect)
    findings = forms.CharField(label=_("Findings"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    notice = forms.CharField(label=_("Rectification notice"), required=False, max_length=1000,
                             widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Deadline"), required=False, widget=DATE)


class AcceptanceForm(forms.Form):
    items = forms.CharField(
        label=_("Items checked"), max_length=4000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One per line; mark a failed item with ✗ and a note: 公共走道墙面 ✗ 污损"))


class RefundForm(forms.Form):
    deductions = forms.CharField(label=_("Deductions"), required=False, max_length=2000,
                                 widget=forms.Textarea(attrs={"rows": 3}),
                                 help_text=_("One per line: amount and reason, e.g. 300 走道墙面修复"))
    voucher = forms.CharField(label=_("Refund voucher number"), max_length=40)


class PassForm(UnitPersonForm):
    carrier = forms.CharField(label=_("Carried by"), max_length=50)
    carrier_phone = forms.CharField(label=_("Carrier's phone"), required=False, max_length=20)
    date = forms.DateField(label=_("Release date"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), required=False, max_length=100)
    items = forms.CharField(label=_("Items"), max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                            help_text=_("One per line: item and quantity, e.g. 办公桌 4"))


class PhoneAuthorisationForm(forms.Form):
    owner = forms.TypedChoiceField(label=_("Owner"), coerce=int)
    id_last4 = forms.CharField(label=_("Last 4 characters of the owner's ID number"), max_length=4, min_length=4)
    phone = forms.CharField(label=_("Phone the owner called from"), max_length=20)
    granted = forms.BooleanField(label=_("The owner agrees"), required=False, initial=True)

    def __init__(self, *args, owners=(), items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].choices = [(c.pk, c.name) for c in owners]
        self.item_fields = []
        for item in items:
            name = f"q{item.pk}"
            self.fields[name] = forms.IntegerField(label=item.name, min_value=0, max_value=item.quantity,
                                                   initial=item.quantity, required=False)
            self.item_fields.append((item, name))


class SpaceForm(ProjectForm):
    number = forms.CharField(label=_("Space number"), max_length=20)
    zone = forms.CharField(label=_("Zone / level"), max_length=30)
    kind = forms.ChoiceField(label=_("Kind"), choices=SpaceKind.choices)


class AllocationForm(forms.Form):
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("e.g. 3-2-1201"))
    customer = forms.CharField(label=_("Customer"), max_length=50, help_text=_("Name or mobile in the archive"))
    kind = forms.ChoiceField(label=_("Kind"), choices=SpaceKind.choices)
    start_date = forms.DateField(label=_("From"), widget=DATE)
    end_date = forms.DateField(label=_("Until"), required=False, widget=DATE)
    plates = forms.CharField(label=_("Plates"), max_length=100, help_text=_("Several separated by spaces"))
    monthly_price = forms.DecimalField(label=_("Monthly price"), required=False, **MONEY)
    receipt = forms.CharField(label=_("Receipt number"), required=False, max_length=40)


class FoundItemForm(ProjectForm):
    description = forms.CharField(label=_("Item"), max_length=100, help_text=_("As the notice board may say it"))
    contents = forms.CharField(label=_("Contents (internal)"), required=False, max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 2}))
    building = forms.TypedChoiceField(label=_("Building"), coerce=int, required=False, empty_value=None)
    floor = forms.CharField(label=_("Floor"), required=False, max_length=10)
    place = forms.CharField(label=_("Place"), max_length=100)
    found_at = forms.DateTimeField(label=_("Found at"), widget=DATETIME)
    finder_name = forms.CharField(label=_("Found by"), required=False, max_length=50)
    finder_phone = forms.CharField(label=_("Finder's phone"), required=False, max_length=20)
    kept_at = forms.CharField(label=_("Kept at"), max_length=100)

    def __init__(self, *args, buildings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["building"].choices = [("", "—")] + [(b.pk, f"{b.project.name} {b.name}") for b in buildings]


class ClaimForm(forms.Form):
    claimant_name = forms.CharField(label=_("Claimant"), max_length=50)
    claimant_phone = forms.CharField(label=_("Claimant's phone"), required=False, max_length=20)
    id_type = forms.ChoiceField(label=_("ID document type"), choices=Customer.IdType.choices)
    id_number = forms.CharField(label=_("ID document number"), max_length=40)
    described_contents = forms.CharField(label=_("Contents as described by the claimant"), max_length=2000,
                                         widget=forms.Textarea(attrs={"rows": 3}))
    paper_reference = forms.CharField(label=_("Signed paper reference"), required=False, max_length=40)
    signature = forms.CharField(required=False, widget=forms.HiddenInput, max_length=450_000)


class VisitorForm(forms.Form):
    """The gate's visitor form, in the order a guard fills it: ID first (it recalls a frequent visitor)."""

    project = forms.TypedChoiceField(label=_("Project"), coerce=int)
    id_number = forms.CharField(label=_("ID document number"), required=False, max_length=40,
                                widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off"}))
    phone = forms.CharField(label=_("Phone"), required=False, max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "off"}))
    name = forms.CharField(label=_("Name"), required=False, max_length=50)
    unit = forms.CharField(label=_("Unit visited"), required=False, max_length=40,
                           help_text=_("3-2-1201 or a resident's name"))
    purpose = forms.CharField(label=_("Purpose"), required=False, max_length=50)
    plate = forms.CharField(label=_("Plate number"), required=False, max_length=20)
    people = forms.IntegerField(label=_("Number of people"), min_value=1, max_value=50, initial=1)
    code = forms.CharField(label=_("Pre-registration code"), required=False, max_length=8)

    def __init__(self, *args, projects=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].choices = [(p.pk, p.name) for p in projects]


class AffairsSettingsForm(ProjectForm):
    """A project's numbers of days and its handover checklist, one textarea per group of lines."""

    patrol_interval_days = forms.IntegerField(label=_("Renovation patrol every (days)"), min_value=1, max_value=30)
    unclaimed_notice_days = forms.IntegerField(label=_("Post unclaimed found items after (days)"), min_value=1,
                                               max_value=90)
    disposal_days = forms.IntegerField(label=_("Dispose of unclaimed found items after (days)"), min_value=7,
                                       max_value=3650)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for group, label in ChecklistGroup.choices:
            self.fields[f"checklist_{group}"] = forms.CharField(
                label=label, required=False, max_length=3000, widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("One item per line, with its count at the end if it has one: 入户门钥匙 3"))

    @staticmethod
    def as_text(items) -> dict:
        """Initial textareas from checklist items."""
        text = {group: [] for group in ChecklistGroup.values}
        for item in items:
            text[item.group].append(f"{item.name} {item.quantity}" if item.quantity is not None else item.name)
        return {f"checklist_{g}": "\n".join(lines) for g, lines in text.items()}

    def checklist(self) -> list[tuple[str, str, int | None]]:
        rows = []
        for group in ChecklistGroup.values:
            for line in self.cleaned_data[f"checklist_{group}"].splitlines():
                name, _sep, last = line.strip().rpartition(" ")
                if name and last.isdigit() and len(last) <= 3:
                    rows.append((group, name.strip(), int(last)))
                elif line.strip():
                    rows.append((group, line.strip(), None))
        return rows

    def numbers(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("patrol_interval_days", "unclaimed_notice_days",
                                                           "disposal_days")}
