"""Forms of the fees pages (收费). They parse input; the billing services decide (and refuse with clear errors)."""

import datetime as dt
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from propdesk.billing.models import BillingSettings, DepositRelease, FeeItem, Method, UnitAccount, UnitType
from propdesk.billing.payments import DESK_METHODS

from .forms_catalogue import ProjectChoiceField, ProjectOwnedForm

MONTH = {"input_formats": ["%Y-%m"], "widget": forms.DateInput(attrs={"type": "month"}, format="%Y-%m")}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FeeItemForm(ProjectOwnedForm):
    project = ProjectChoiceField(label=_("Project"), queryset=None)

    class Meta:
        model = FeeItem
        fields = ["project", "code", "name", "kind", "accounting", "meter_unit", "late_fee_applies", "is_active",
                  "is_published", "sort", "description"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [c for c in FeeItem.Kind.choices if c[0] != FeeItem.Kind.LATE_FEE]


class StandardForm(forms.Form):
    unit_type = forms.ChoiceField(label=_("Unit type"), required=False,
                                  choices=[("", _("Every unit type"))] + UnitType.choices)
    # Text, so that "no price" and "not a number" reach the service and get its clear message.
    price = forms.CharField(label=_("Price (yuan)"), required=False, max_length=20,
                            help_text=_("Per m² per month, per space per month, per month, per unit read."))
    effective_from = forms.DateField(label=_("Effective from"), widget=DATE)
    effective_to = forms.DateField(label=_("Effective until"), required=False, widget=DATE,
                                   help_text=_("Leave blank: until a new standard."))
    note = forms.CharField(label=_("Note"), required=False, max_length=200,
                           help_text=_("e.g. the owners' assembly resolution or the government price document"))


class SettingsForm(forms.ModelForm):
    class Meta:
        model = BillingSettings
        fields = ["start_rule", "due_day", "late_fee_daily_rate", "late_fee_contract_clause", "receipt_prefix",
                  "reminders_enabled"]


class RunForm(forms.Form):
    project = ProjectChoiceField(label=_("Project"), queryset=None)
    month = forms.DateField(label=_("Month"), **MONTH)

    def __init__(self, *args, projects, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["project"].queryset = projects


class PaymentForm(forms.Form):
    amount = forms.CharField(label=_("Amount received (yuan)"), max_length=20)
    method = forms.ChoiceField(label=_("Method"), choices=[(m, Method(m).label) for m in DESK_METHODS])
    payer_name = forms.CharField(label=_("Paid by"), required=False, max_length=100,
                                 help_text=_("Blank: the payer of the bills."))
    reference = forms.CharField(label=_("Reference"), required=False, max_length=64,
                                help_text=_("Bank transfer or card terminal reference."))
    note = forms.CharField(label=_("Note"), required=False, max_length=200)
    prepay_rest = forms.BooleanField(label=_("Keep what is more than the open amount as prepayment"), required=False)
    lines = forms.TypedMultipleChoiceField(label=_("Charges paid"), required=False, coerce=int, choices=[],
                                           widget=forms.CheckboxSelectMultiple)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, lines=(), **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_key", uuid.uuid4().hex)
        super().__init__(*args, **kwargs)
        self.fields["lines"].choices = [(line.pk, line.pk) for line in lines]


class AccountForm(forms.ModelForm):
    class Meta:
        model = UnitAccount
        fields = ["unit_type", "fee_start", "parking_spaces"]
        widgets = {"fee_start": DATE}


class RequestForm(forms.Form):
    """A correction asked for at the unit's page: a credit note or waiver on a line, a further charge, a refund."""

    KINDS = [("credit", _("Credit note on a charge")), ("waiver", _("Waive a late fee")),
             ("charge", _("Additional charge")), ("refund", _("Refund of prepayment"))]
    kind = forms.ChoiceField(label=_("Request"), choices=KINDS)
    line = forms.IntegerField(label=_("Charge"), required=False, min_value=1)
    fee_item = forms.IntegerField(label=_("Fee item"), required=False, min_value=1)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Refund by"), required=False, choices=Method.choices, initial=Method.BANK)


class DepositForm(forms.Form):
    fee_item = forms.IntegerField(label=_("Deposit item"), min_value=1)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    description = forms.CharField(label=_("Description"), max_length=200, required=False)


class ReleaseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Release"), choices=DepositRelease.Kind.choices)
    amount = forms.CharField(label=_("Amount (yuan)"), max_length=20)
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)
    method = forms.ChoiceField(label=_("Refund by"), choices=Method.choices, initial=Method.BANK)


class VoidForm(forms.Form):
    reason = forms.CharField(label=_("Why is it voided?"), max_length=200, required=False)
    confirm = forms.BooleanField(label=_("Yes, void this receipt"), required=False)


class DecideForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("reject", _("Reject"))])
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class CloseForm(forms.Form):
    counted_cash = forms.CharField(label=_("Cash counted (yuan)"), max_length=20)
    note = forms.CharField(label=_("Note"), max_length=200, required=False,
                           help_text=_("Required when the cash counted differs from the cash received."))


class ReadingForm(forms.Form):
    unit = forms.CharField(label=_("Unit"), max_length=40, help_text=_("e.g. 3-2-1201"))
    fee_item = forms.ModelChoiceField(label=_("Meter"), queryset=FeeItem.objects.none())
    month = forms.DateField(label=_("Billed in month"), **MONTH)
    value = forms.CharField(label=_("Reading"), max_length=20)
    read_on = forms.DateField(label=_("Read on"), required=False, widget=DATE)
    previous = forms.CharField(label=_("Previous reading"), max_length=20, required=False,
                               help_text=_("Only for a new or replaced meter."))

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["fee_item"].queryset = items


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))


def month_or_current(value: str | None, today: dt.date) -> dt.date:
    """"2027-03" → 2027-03-01; anything else → this month."""
    try:
        return dt.datetime.strptime(value or "", "%Y-%m").date()
    except ValueError:
        return today.replace(day=1)


class PlanForm(forms.Form):
    terms = forms.CharField(label=_("What was agreed"), max_length=300,
                            help_text=_("e.g. ¥300 on the 10th of each month until the arrears are paid"))
    until = forms.DateField(label=_("Runs until"), widget=DATE)


class StatementImportForm(forms.Form):
    month = forms.DateField(label=_("Month"), **MONTH)
    file = forms.FileField(label=_("Excel file (.xlsx)"), help_text=_("Columns: 收支 (收入/支出), 科目, 金额, 备注"))
    note = forms.CharField(label=_("Note to owners"), max_length=2000, required=False, widget=forms.Textarea)


class ExportForm(forms.Form):
    month = forms.DateField(required=False, input_formats=["%Y-%m"])
    start = forms.DateField(required=False)
    end = forms.DateField(required=False)
    day = forms.DateField(required=False)

    def __init__(self, *args, today=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
