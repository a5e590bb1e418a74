"""Masking of sensitive personal data (ID documents) for display."""


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
