"""Sign-in with a mobile number and a one-time code sent by SMS (PRODUCT.md area 6)."""

import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from propdesk.archive import owners
from propdesk.core.ratelimit import client_address
from propdesk.notify.backends import demo_handset

from ..forms import CodeForm, PhoneForm


def login(request):
    """Step 1: the mobile number. Step 2 (same page): the 6-digit code."""
    next_url = request.GET.get("next") or request.POST.get("next") or "/portal/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/portal/"
    context = {"next": next_url, "phone_form": PhoneForm(), "code_form": None}
    if request.method == "POST" and "code" in request.POST:
        form = CodeForm(request.POST)
        context["code_form"] = form
        if form.is_valid():
            try:
                owner = owners.verify_code(form.cleaned_data["phone"], form.cleaned_data["code"],
                                           client_address(request))
            except owners.CodeRefused as exc:
                form.add_error("code", str(exc))
            else:
                owners.sign_in(request, owner)
                return redirect(next_url)
    elif request.method == "POST":
        form = PhoneForm(request.POST)
        context["phone_form"] = form
        if form.is_valid():
            try:
                phone = owners.request_code(form.cleaned_data["phone"], client_address(request))
            except ValidationError as exc:
                form.add_error("phone", exc.message_dict.get("phone", exc.messages))
            except owners.CodeRefused as exc:
                form.add_error("phone", str(exc))
            else:
                context["code_form"] = CodeForm(initial={"phone": phone})
                if settings.PORTAL_DEMO_SHOW_CODE:
                    context["demo_sms"] = _demo_sms(phone)
    return render(request, "portal/login.html", context)


def _demo_sms(phone: str) -> str:
    """The demo only: the SMS the simulated handset received (the worker delivers it within moments)."""
    deadline = time.monotonic() + 3
    while not (text := demo_handset(phone)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return text


@require_POST
def logout(request):
    owners.sign_out(request)
    return redirect("portal:login")
