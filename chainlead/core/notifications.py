"""Sending notifications: in-app, by email, and to a unit's DingTalk/WeCom group robot.

``notify(users, title, …)`` writes the in-app rows at once and queues email and webhooks as jobs
after the transaction commits, so a slow mail server or an unreachable robot never blocks a page
and never loses the in-app reminder. ``dedupe_key`` makes a reminder idempotent (a nightly run
repeated does not remind twice).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
import urllib.parse
import urllib.request

from django.conf import settings
from django.core import mail
from django.db import transaction

from chainlead.core.jobs import enqueue_job, job_handler
from chainlead.core.models.notifications import Notification, NotificationLevel, UnitWebhook

logger = logging.getLogger(__name__)


def notify(
    users,
    title: str,
    *,
    body: str = "",
    url: str = "",
    level: str = NotificationLevel.INFO,
    kind: str = "",
    dedupe_key: str = "",
    email: bool = True,
    units=(),
) -> list[Notification]:
    """Notify ``users`` in-app (and by email where they have an address), and post to the robots of
    ``units``. Returns the notifications created (none for users already notified with ``dedupe_key``)."""
    users = [u for u in users if u is not None and getattr(u, "is_active", True)]
    if dedupe_key:
        done = set(
            Notification.objects.filter(dedupe_key=dedupe_key, user__in=users).values_list(
                "user_id", flat=True
            )
        )
        users = [u for u in users if u.pk not in done]
    created = Notification.objects.bulk_create(
        [
            Notification(
                user=u, title=title[:200], body=body, url=url, level=level, kind=kind, dedupe_key=dedupe_key
            )
            for u in users
        ]
    )
    addresses = sorted({u.email for u in users if email and u.email})
    if addresses:
        transaction.on_commit(lambda: enqueue_email(addresses, title, body, url))
    hooks = (
        list(UnitWebhook.objects.filter(unit__in=units, is_active=True).values_list("pk", flat=True))
        if units
        else []
    )
    if hooks and (created or not dedupe_key):
        text = f"{title}\n{body}".strip()
        transaction.on_commit(
            lambda: enqueue_job("core.webhook", label="群机器人提醒", hooks=hooks, text=text)
        )
    return created


def enqueue_email(addresses, title, body, url):
    enqueue_job("core.email", label="邮件提醒", addresses=addresses, title=title, body=body, url=url)


@job_handler("core.email")
def send_email(job, *, addresses, title, body, url):
    link = f"\n\n{url}" if url else ""
    sent = mail.send_mail(
        f"[chainlead] {title}", f"{body}{link}", settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False
    )
    return {"sent": sent}


def dingtalk_url(url: str, secret: str) -> str:
    """DingTalk's signed URL: timestamp + HMAC-SHA256 of "timestamp\\nsecret", base64 then URL-encoded."""
    if not secret:
        return url
    timestamp = str(round(time.time() * 1000))
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = urllib.parse.quote_plus(base64.b64encode(digest))
    return (
        f"{url}&timestamp={timestamp}&sign={sign}"
        if "?" in url
        else f"{url}?timestamp={timestamp}&sign={sign}"
    )


def post_webhook(hook: UnitWebhook, text: str, timeout: float = 5.0) -> int:
    """Post a text message to a group robot; both DingTalk and WeCom take {"msgtype":"text",…}."""
    payload = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode()
    url = dingtalk_url(hook.url, hook.secret) if hook.kind == "dingtalk" else hook.url
    request = urllib.request.Request(
        url, data=payload, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (configured by the office)
        return response.status


@job_handler("core.webhook")
def send_webhooks(job, *, hooks, text):
    results = {}
    for hook in UnitWebhook.objects.filter(pk__in=hooks, is_active=True):
        try:
            results[hook.pk] = post_webhook(hook, text)
        except OSError as exc:  # unreachable robot: keep going, report it on the job
            logger.warning("webhook %s failed: %s", hook.pk, exc)
            results[hook.pk] = str(exc)
    failed = {k: v for k, v in results.items() if not isinstance(v, int) or v >= 400}
    if failed:
        raise RuntimeError("群机器人发送失败：" + "；".join(f"#{k} {v}" for k, v in failed.items()))
    return {"posted": len(results)}
