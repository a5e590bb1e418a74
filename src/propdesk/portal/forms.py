from django import forms
from django.utils.translation import gettext_lazy as _


class PhoneForm(forms.Form):
    phone = forms.CharField(label=_("Mobile number"), max_length=20,
                            widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel",
                                                          "autofocus": True}))


class CodeForm(forms.Form):
    phone = forms.CharField(widget=forms.HiddenInput)
    code = forms.CharField(label=_("Code from the SMS"), min_length=6, max_length=6,
                           widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code",
                                                         "autofocus": True}))
