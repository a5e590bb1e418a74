"""Simplified Chinese by default; the language switch posts to /i18n/setlang/."""

from django.urls import reverse


def test_default_language_is_simplified_chinese(desk, db):
    assert '<html lang="zh-hans">' in desk.get(reverse("console:home")).content.decode()


def test_switching_to_english(desk, db):
    home = reverse("console:home")
    response = desk.post(reverse("set_language"), {"language": "en", "next": home})
    assert response.status_code == 302 and response["Location"] == home
    body = desk.get(home).content.decode()
    assert '<html lang="en">' in body
    assert "Who is calling?" in body
    back = desk.post(reverse("set_language"), {"language": "zh-hans", "next": home})
    assert back.status_code == 302
    assert '<html lang="zh-hans">' in desk.get(home).content.decode()


def test_every_page_offers_the_switch(desk, db):
    body = desk.get(reverse("console:project_list")).content.decode()
    assert f'action="{reverse("set_language")}"' in body
    assert 'value="en"' in body and 'value="zh-hans"' in body


def test_an_english_browser_still_gets_chinese_until_the_person_switches(client):
    page = client.get(reverse("console:login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert '<html lang="zh-hans">' in page.content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    page = client.get(reverse("console:login"), headers={"accept-language": "zh-CN"})
    assert '<html lang="en">' in page.content.decode()
