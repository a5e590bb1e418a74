"""Invalid input answers 422 with field-level messages in the request's language."""

from django.utils import translation
from django.utils.translation import gettext

from propdesk.org.models import Unit


def zh(msgid: str) -> str:
    with translation.override("zh-hans"):
        return gettext(msgid)


def test_schema_errors_are_keyed_by_field_in_english(api_as, staff, estate):
    api = api_as(staff, language="en")

    response = api.post("/units", {"building": estate["building"].pk, "floor": "twelve", "area": "lots",
                                   "colour": "red"})

    assert response.status_code == 422
    assert response.json() == {
        "detail": "The data you sent is not valid. See the errors of each field.",
        "errors": {
            "number": ["This field is required."],
            "floor": ["Enter a whole number."],
            "area": ["Enter a valid number."],
            "colour": ["Unknown field."],
        },
    }


def test_schema_errors_are_in_chinese_by_default(desk_api, estate):
    response = desk_api.post("/units", {"building": estate["building"].pk, "floor": "twelve", "area": "1"})

    errors = response.json()["errors"]
    assert response.status_code == 422
    assert errors["number"] == ["这个字段是必填项。"]  # Django's own catalogue already has this one
    assert errors["floor"] == [zh("Enter a whole number.")]
    assert response.json()["detail"] == zh("The data you sent is not valid. See the errors of each field.")
    assert response["Content-Language"] == "zh-hans"


def test_date_choice_and_list_errors(api_as, staff, estate):
    api = api_as(staff, language="en")

    response = api.post("/occupancies", {"unit": estate["unit"].pk, "customer": estate["customer"].pk,
                                         "role": "landlord", "start_date": "2024-02-30"})
    customer = api.post("/customers", {"project": estate["project"].pk, "name": "x", "phones": "13812345678"})

    assert response.json()["errors"] == {"role": ["Select a valid choice."], "start_date": ["Enter a valid date."]}
    assert customer.json()["errors"] == {"phones": ["Enter a list of values."]}


def test_service_validation_errors_keep_their_fields_and_language(api_as, staff, estate):
    english = api_as(staff, language="en").post(
        "/units", {"building": estate["building"].pk, "number": "0101", "floor": 1, "area": "-3"})
    chinese = api_as(staff).post(
        "/units", {"building": estate["building"].pk, "number": "0101", "floor": 1, "area": "-3"})

    assert english.status_code == chinese.status_code == 422
    assert english.json()["errors"] == {"area": ["The area must be greater than zero."]}
    assert chinese.json()["errors"] == {"area": [zh("The area must be greater than zero.")]}
    assert not Unit.objects.filter(number="0101").exists()


def test_bad_phone_message_names_the_number(api_as, staff, project):
    response = api_as(staff, language="en").post("/customers", {"project": project.pk, "name": "x",
                                                                "phones": ["12345"]})

    assert response.json()["errors"] == {"phones": ["“12345” is not a valid phone number."]}


def test_model_field_errors_come_back_in_chinese(desk_api, estate):
    response = desk_api.patch(f"/customers/{estate['customer'].pk}", {"email": "not-an-email"})

    assert response.status_code == 422
    assert response.json()["errors"] == {"email": ["输入一个有效的 Email 地址。"]}


def test_query_parameter_errors_are_field_errors(api_as, staff):
    response = api_as(staff, language="en").get("/customers", project="sunny", offset=-1)

    assert response.status_code == 422
    assert response.json()["errors"] == {
        "project": ["Enter a whole number."],
        "offset": ["Ensure this value is greater than or equal to 0."],
    }


def test_unreadable_body_is_400_with_a_message(api_as, staff):
    response = api_as(staff, language="en").post("/buildings", raw="{not json")

    assert response.status_code == 400
    assert response.json() == {"detail": "The request body could not be read: send valid JSON."}


def test_missing_object_is_404_in_the_requests_language(api_as, staff):
    assert api_as(staff, language="en").get("/customers/999999").json() == {"detail": "Not found."}
    assert api_as(staff).get("/customers/999999").status_code == 404


def test_partial_update_errors_are_keyed_by_field_too(api_as, staff, estate):
    api = api_as(staff, language="en")

    response = api.patch(f"/units/{estate['unit'].pk}", {"floor": "x", "building": 3})
    null_area = api.patch(f"/units/{estate['unit'].pk}", {"floor": 13, "area": None})

    assert response.status_code == null_area.status_code == 422
    assert response.json()["errors"] == {"floor": ["Enter a whole number."], "building": ["Unknown field."]}
    assert list(null_area.json()["errors"]) == ["area"]  # the model refuses a null area
    estate["unit"].refresh_from_db()
    assert estate["unit"].floor == 12
