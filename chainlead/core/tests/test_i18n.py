"""Chinese by default, English available: every string of the code has an English translation."""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation

LOCALE = settings.BASE_DIR / "chainlead" / "locale"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="gettext is installed by `make test` (apt)")
def test_every_message_has_an_english_translation(tmp_path, settings, monkeypatch):
    # Extract the messages from a copy of the source tree, as `make messages` would, without
    # touching the committed catalogue.
    src = tmp_path / "chainlead"
    shutil.copytree(
        settings.BASE_DIR / "chainlead", src, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "tests")
    )
    settings.LOCALE_PATHS = [src / "locale"]
    monkeypatch.chdir(src)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    po = polib.pofile(str(src / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in po if not e.translated() and not e.obsolete]
    assert not missing, "run `make messages` and translate: " + " | ".join(missing[:30])


def test_committed_catalogue_is_complete_and_not_fuzzy():
    po = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    assert po.percent_translated() == 100
    assert not po.fuzzy_entries()


@pytest.mark.django_db
def test_default_language_is_chinese_and_english_switches(client):
    body = client.get(reverse("login")).content.decode()
    assert 'lang="zh-hans"' in body and "登录" in body
    client.post(reverse("set_language"), {"language": "en", "next": "/login/"})
    body = client.get(reverse("login")).content.decode()
    assert 'lang="en"' in body and "Sign in" in body


def test_dates_are_written_the_chinese_way():
    import datetime

    from django.utils.formats import date_format

    with translation.override("zh-hans"):
        assert date_format(datetime.date(2021, 11, 5)) == "2021年11月5日"
        assert date_format(datetime.date(2021, 11, 5), "YEAR_MONTH_FORMAT") == "2021年11月"
