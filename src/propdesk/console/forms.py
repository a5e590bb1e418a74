"""Console forms. They only parse and display input; the rules live in the services they feed."""

import re

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from propdesk.archive.models import Customer
from propdesk.core.ratelimit import client_address
from propdesk.org.services import login_allowed


class LoginForm(AuthenticationForm):
    """Django's login form, refusing to even try the password once too many attempts were made."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "rate_limited": _("Too many login attempts. Please wait a few minutes and try again."),
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = client_address(self.request) if self.request else "unknown"
        if not login_allowed(username, address):
            raise ValidationError(self.error_messages["rate_limited"], code="rate_limited")
        return super().clean()


CUSTOMER_FORM_FIELDS = [
    "name", "kind", "customer_type", "gender", "birth_date", "hometown", "hobbies", "income_band",
    "household_size", "id_type", "email", "wechat", "emergency_contact", "notes",
]
_PHONE_SEPARATORS = re.compile(r"[,，;；、\s]+")


class CustomerForm(forms.Form):
    """The customer's facts, phones as one comma-separated field, and an optional new ID number.

    The current ID number is never put into the form (it would appear in the page); a blank
    field keeps it.
    """

    def __init__(self, *args, customer: Customer, **kwargs):
        if "initial" not in kwargs and not args:
            kwargs["initial"] = {
                **{f: getattr(customer, f) for f in CUSTOMER_FORM_FIELDS},
                "phones": ", ".join(p.number for p in customer.phones.all()),
            }
        super().__init__(*args, **kwargs)
        self.customer = customer
        if customer.has_id_number:
            self.fields["id_number"].help_text = _(
                "Now %(masked)s. Leave blank to keep it; type a new number to replace it."
            ) % {"masked": customer.masked_id_number}

    def phone_list(self) -> list[str]:
        return [p for p in _PHONE_SEPARATORS.split(self.cleaned_data.get("phones", "")) if p]

    def service_data(self) -> dict:
        """The fields for archive.services.update_customer (no ID number unless one was typed)."""
        data = {f: self.cleaned_data[f] for f in CUSTOMER_FORM_FIELDS}
        if self.cleaned_data.get("id_number"):
            data["id_number"] = self.cleaned_data["id_number"].strip()
        return data


_customer_fields = forms.fields_for_model(
    Customer,
    fields=CUSTOMER_FORM_FIELDS,
    widgets={
        "birth_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        "notes": forms.Textarea(attrs={"rows": 3}),
    },
)
_customer_fields["phones"] = forms.CharField(
    label=_("Phones"), required=False, help_text=_("Several numbers are separated by commas.")
)
_customer_fields["id_number"] = forms.CharField(label=_("New ID document number"), required=False, max_length=40)
# The order the desk reads them in: who, how to reach them, the ID document, then the rest.
_FORM_ORDER = ["name", "phones", "id_type", "id_number"]
CustomerForm.base_fields = {
    **{name: _customer_fields[name] for name in _FORM_ORDER},
    **{name: f for name, f in _customer_fields.items() if name not in _FORM_ORDER},
}


def add_service_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field when the form has it, else on top."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ExportForm(forms.Form):
    # Offered to company administrators only; the exporter refuses anyone else and records the export.
    reveal_ids = forms.BooleanField(label=_("Include full ID numbers"), required=False)


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel file (.xlsx)"))

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise ValidationError(_("Upload an Excel file ending in .xlsx."), code="not_xlsx")
        return file
