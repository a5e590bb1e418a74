import pytest
from django.core.exceptions import ValidationError

from propdesk.core.phones import normalize_phone, validate_phone
from propdesk.core.sensitive import mask_id_number


def test_resident_id_is_masked_to_first_and_last_four():
    assert mask_id_number("110101199001011234") == "1101**********1234"


def test_short_and_empty_ids_never_show_whole():
    assert mask_id_number("") == ""
    assert mask_id_number("E1234567") != "E1234567"
    assert "*" in mask_id_number("G12345")


@pytest.mark.parametrize("raw,expected", [
    ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"),
    ("0086 13812345678", "13812345678"),
    ("010-88886666", "01088886666"),
])
def test_phone_numbers_are_normalised(raw, expected):
    assert normalize_phone(raw) == expected
    assert validate_phone(raw) == expected


@pytest.mark.parametrize("raw", ["12345", "23812345678", "1381234567", "abc"])
def test_invalid_phone_numbers_are_refused(raw):
    with pytest.raises(ValidationError):
        validate_phone(raw)
