"""The 等保2.0 level-3 application controls of the security base."""

import os
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from chainlead.core.models import AuditEvent
from chainlead.organization.models import User
from chainlead.utilities.testing.base import PASSWORD, Org

pytestmark = pytest.mark.django_db
ROOT = settings.BASE_DIR


@pytest.fixture
def org():
    return Org()


def post_login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_wrong_password_gives_a_message_and_counts(client, org):
    response = post_login(client, "insider", "wrong-password")
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    org.insider.refresh_from_db()
    assert org.insider.failed_login_count == 1
    assert AuditEvent.objects.filter(verb="login_failed", object_id=org.insider.pk).exists()


def test_five_failures_lock_the_account_for_fifteen_minutes(client, org):
    for _ in range(settings.LOGIN_MAX_FAILURES):
        response = post_login(client, "insider", "wrong-password")
    assert "账户已被锁定" in response.content.decode()
    org.insider.refresh_from_db()
    assert org.insider.is_locked
    remaining = org.insider.locked_until - timezone.now()
    assert timedelta(minutes=14) < remaining <= timedelta(minutes=15)
    # Even the right password is refused while locked, with the time left.
    response = post_login(client, "insider", PASSWORD)
    body = response.content.decode()
    assert "已被锁定" in body and "15 分钟后重试" in body
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(verb="locked", object_id=org.insider.pk).exists()


def test_lock_expires_and_success_resets_the_count(client, org):
    User.objects.filter(pk=org.insider.pk).update(
        locked_until=timezone.now() - timedelta(seconds=1), failed_login_count=3
    )
    response = post_login(client, "insider", PASSWORD)
    assert response.status_code == 302
    org.insider.refresh_from_db()
    assert org.insider.failed_login_count == 0 and org.insider.locked_until is None


def test_sign_in_bookkeeping_does_not_version_the_person(client, org):
    version = org.insider.version
    post_login(client, "insider", "bad")
    post_login(client, "insider", PASSWORD)
    org.insider.refresh_from_db()
    assert org.insider.version == version  # an open edit form of this person is not invalidated
    assert AuditEvent.objects.filter(verb="login", object_id=org.insider.pk).exists()


@pytest.mark.parametrize(
    "password, ok",
    [
        ("Ab1!", False),  # too short
        ("abcdefgh1", False),  # two classes
        ("abcdefg!1", True),  # lower, digit, symbol
        ("Qzmvxkth7W", True),  # upper, lower, digit
        ("ABCDEFGH!", False),  # two classes
        ("12345678", False),
    ],
)
def test_password_rules(password, ok):
    if ok:
        validate_password(password)
    else:
        with pytest.raises(ValidationError):
            validate_password(password)


def test_password_rule_messages_are_chinese():
    with pytest.raises(ValidationError) as exc:
        validate_password("abcdefgh")
    assert any("至少3类" in m for m in exc.value.messages)


def test_user_created_by_the_office_must_change_password_first(client, org):
    client.force_login(org.office)
    response = client.post(
        reverse("organization:user_add"),
        {
            "username": "newcomer",
            "name": "新同事",
            "unit": org.unit_a.pk,
            "initial_password": "Start#2026x",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(username="newcomer")
    assert newcomer.must_change_password
    client.logout()
    assert post_login(client, "newcomer", "Start#2026x").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"] == reverse("password_change")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "Start#2026x",
            "new_password1": "Better#Pass2026",
            "new_password2": "Better#Pass2026",
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert not newcomer.must_change_password
    assert client.get(reverse("home")).status_code == 200


def test_weak_initial_password_is_refused(client, org):
    client.force_login(org.office)
    response = client.post(
        reverse("organization:user_add"),
        {
            "username": "weak",
            "name": "弱",
            "unit": org.unit_a.pk,
            "initial_password": "abc",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "initial_password" in response.context["form"].errors
    assert not User.objects.filter(username="weak").exists()


def test_idle_session_timeout_is_thirty_minutes_by_default():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_security_headers_and_csrf(client, org):
    response = client.get(reverse("login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    csrf_client = client.__class__(enforce_csrf_checks=True)
    response = csrf_client.post(reverse("login"), {"username": "insider", "password": PASSWORD})
    assert response.status_code == 403
    assert "页面已过期" in response.content.decode()


def _run(env_extra, *args):
    drop = ("CHAINLEAD_TESTING", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in drop}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "-m", "chainlead.cli", "chainlead", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _run(
        {
            "CHAINLEAD_ENV": "production",
            "SECRET_KEY": "x" * 20 + "-production-secret-key-for-the-check-" + "y" * 20,
            "ALLOWED_HOSTS": "chainlead.example.gov.cn",
            "CHAINLEAD_DATA_DIR": str(tmp_path),
        },
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_uses_argon2(tmp_path):
    result = _run(
        {"CHAINLEAD_ENV": "production", "SECRET_KEY": "z" * 60, "CHAINLEAD_DATA_DIR": str(tmp_path)},
        "shell",
        "-c",
        "from django.conf import settings; print(settings.PASSWORD_HASHERS[0])",
    )
    assert result.stdout.strip().endswith("Argon2PasswordHasher"), result.stderr


def test_bad_database_url_fails_with_one_clear_line(tmp_path):
    result = _run({"DATABASE_URL": "nonsense://", "CHAINLEAD_DATA_DIR": str(tmp_path)}, "migrate")
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "DATABASE_URL" in lines[0]


def test_unreachable_database_fails_with_one_clear_line(tmp_path):
    result = _run(
        {"DATABASE_URL": "postgres://nobody@127.0.0.1:1/none", "CHAINLEAD_DATA_DIR": str(tmp_path)},
        "serve",
        "--no-worker",
    )
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "无法连接数据库" in lines[0]
