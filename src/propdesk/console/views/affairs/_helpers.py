"""What the public-affairs pages share: running one service call from a POST and reporting its outcome."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from propdesk.core.errors import Conflict


def errors_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def act(request, call, success: str, back: str):
    """Run `call()` (one service call); report success or the service's refusal, then go back."""
    try:
        call()
    except ValidationError as exc:
        messages.error(request, errors_text(exc))
    except Conflict as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, success)
    return redirect(back)


def file_response(content: bytes, content_type: str, filename: str, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = f"{disposition}; filename=\"{filename}\""
    return response


def int_param(request, name: str):
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else None


def refuse(request, form, back: str):
    """A form that did not parse: its errors as a message, then back to the page."""
    messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    return redirect(back)
