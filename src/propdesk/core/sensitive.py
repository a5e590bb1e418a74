"""Masking of sensitive data for display: ID documents, phones, and the secrets messages carry."""

from dataclasses import dataclass

SECRET_SHOWN = "******"


@dataclass(frozen=True)
class Secret:
    """A value a message carries for its delivery only: a sign-in code, the token of a link.

    Put it in a message's parameters (`Message(msgid, {"code": Secret(code)})`): notify stores and shows
    `shown` wherever the message is kept or displayed (the outbox, admin, API, logs, timeline, exports,
    backups) and seals the value until the one delivery that needs it (notify.services). Anything that
    turns it into text by accident gets the masked form too.
    """

    value: str
    shown: str = SECRET_SHOWN

    def __str__(self) -> str:
        return self.shown

    def __repr__(self) -> str:
        return f"Secret({self.shown!r})"


def mask_id_number(value: str | None) -> str:
    """Keep the first 4 and last 4 characters: 110101199001011234 -> 1101**********1234."""
    if not value:
        return ""
    value = value.strip()
    if len(value) <= 8:
        return value[:1] + "*" * max(len(value) - 2, 0) + value[-1:] if len(value) > 2 else "*" * len(value)
    return value[:4] + "*" * (len(value) - 8) + value[-4:]


# Fields whose old and new values are kept on the timeline only masked, whatever the model.
MASKED_FIELDS = {"id_number": mask_id_number}


def mask_changes(changes: dict) -> dict:
    """A {field: [old, new]} diff with every sensitive value masked, safe to store on the timeline."""
    return {
        name: [MASKED_FIELDS[name](str(v) if v else "") for v in values] if name in MASKED_FIELDS else values
        for name, values in changes.items()
    }


def mask_phone(phone: str) -> str:
    """138****5678: enough to tell people apart in a log or a list without writing the number down."""
    phone = phone or ""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else "****" + phone[-2:]
