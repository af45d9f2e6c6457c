"""complete_target / reopen_target: permission re-checked, one audit event each, the reason
required; and the buttons on the target page."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent
from chainlead.organization.choices import Role
from chainlead.targets.choices import TargetStatus
from chainlead.targets.models import AttackTarget
from chainlead.targets.services import complete_target, next_number, reopen_target
from chainlead.targets.tests.factories import make_target, zone_for
from chainlead.utilities.testing.base import Org, assert_logged


def events(target, verb):
    ct = ContentType.objects.get_for_model(AttackTarget)
    return AuditEvent.objects.filter(content_type=ct, object_id=target.pk, verb=verb)


class CompleteTargetTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.target = make_target(self.org.unit_a, 1, deadline=datetime.date(2021, 10, 31))
        self.on = datetime.date(2021, 10, 20)

    def test_completes_and_records_an_event(self):
        result = complete_target(self.target, on=self.on, actual_value=Decimal("12"), by=self.org.insider)
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.DONE)
        self.assertEqual(self.target.done_on, self.on)
        self.assertEqual(self.target.actual_value, Decimal("12"))
        self.assertEqual(result.pk, self.target.pk)
        event = events(self.target, "completed").get()
        self.assertEqual(event.user, self.org.insider)
        self.assertEqual(event.data["done_on"], "2021-10-20")
        self.assertFalse(event.data["late"])
        self.assertIn("完成值 12 个", event.message)
        assert_logged(self.target, action="update", user=self.org.insider)

    def test_late_completion_is_noted(self):
        complete_target(self.target, on=datetime.date(2021, 11, 5), actual_value=10, by=self.org.insider)
        event = events(self.target, "completed").get()
        self.assertTrue(event.data["late"])
        self.assertIn("超过完成时限", event.message)

    def test_permission_is_checked_again(self):
        for user in (self.org.outsider, self.org.viewer_a, self.org.nobody):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                complete_target(self.target, on=self.on, actual_value=10, by=user)
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.IN_PROGRESS)
        self.assertFalse(events(self.target, "completed").exists())

    def test_bad_input_saves_nothing(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        cases = [
            ({"on": None, "actual_value": 10}, "done_on", "请填写完成日期。"),
            ({"on": tomorrow, "actual_value": 10}, "done_on", "完成日期不能晚于今天。"),
            ({"on": self.on, "actual_value": -1}, "actual_value", "完成值不能为负数。"),
            ({"on": self.on, "actual_value": "十个"}, "actual_value", "完成值“十个”不是有效的数字。"),
        ]
        for kwargs, field, message in cases:
            with self.subTest(kwargs=kwargs), self.assertRaises(ServiceError) as caught:
                complete_target(self.target, by=self.org.insider, **kwargs)
            self.assertEqual(caught.exception.field, field)
            self.assertEqual(caught.exception.message, message)
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.IN_PROGRESS)
        self.assertIsNone(self.target.done_on)
        self.assertFalse(events(self.target, "completed").exists())

    def test_done_twice_is_refused(self):
        complete_target(self.target, on=self.on, actual_value=10, by=self.org.insider)
        with self.assertRaisesMessage(ServiceError, "无需重复标记"):
            complete_target(self.target, on=self.on, actual_value=10, by=self.org.insider)
        self.assertEqual(events(self.target, "completed").count(), 1)


class ReopenTargetTests(TestCase):
    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.target = make_target(
            self.org.unit_a, 1, status=TargetStatus.DONE, done_on=datetime.date(2021, 9, 1), actual_value=10
        )

    def test_reason_is_required(self):
        for reason in ("", "   "):
            with self.assertRaises(ServiceError) as caught:
                reopen_target(self.target, by=self.org.insider, reason=reason)
            self.assertEqual(caught.exception.field, "reason")
            self.assertEqual(caught.exception.message, "请填写重新打开的原因。")
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.DONE)
        self.assertFalse(events(self.target, "reopened").exists())

    def test_reopens_and_records_the_reason(self):
        reopen_target(self.target, by=self.org.insider, reason="验收发现附属工程未完成")
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.IN_PROGRESS)
        self.assertIsNone(self.target.done_on)
        event = events(self.target, "reopened").get()
        self.assertEqual(event.message, "验收发现附属工程未完成")
        self.assertEqual(event.data["previous_done_on"], "2021-09-01")
        self.assertEqual(event.user, self.org.insider)

    def test_permission_is_checked_again(self):
        with self.assertRaises(PermissionDenied):
            reopen_target(self.target, by=self.org.outsider, reason="想改")
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.DONE)

    def test_open_target_cannot_be_reopened(self):
        open_target = make_target(self.org.unit_a, 2)
        with self.assertRaisesMessage(ServiceError, "只有已完成或已取消"):
            reopen_target(open_target, by=self.org.insider, reason="x")


class NextNumberTests(TestCase):
    def test_next_number(self):
        org = Org()
        zone = zone_for(org.unit_a)
        self.assertEqual(next_number(zone), 1)
        make_target(org.unit_a, 3, zone=zone)
        self.assertEqual(next_number(zone), 4)
        self.assertEqual(next_number(zone.pk), 4)


class ButtonTests(TestCase):
    """The 标记完成 / 重新打开 buttons on the target page."""

    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.target = make_target(self.org.unit_a, 1, deadline=datetime.date(2021, 10, 31))
        self.url = reverse("targets:attacktarget_detail", args=[self.target.pk])

    def test_buttons_only_for_those_who_may_change(self):
        self.client.force_login(self.org.insider)
        page = self.client.get(self.url).content.decode()
        self.assertIn('id="complete-button"', page)
        self.assertNotIn('id="reopen-button"', page)
        self.client.force_login(self.org.viewer_a)
        page = self.client.get(self.url).content.decode()
        self.assertNotIn('id="complete-button"', page)

    def test_complete_then_reopen_through_the_page(self):
        self.client.force_login(self.org.insider)
        response = self.client.post(
            reverse("targets:attacktarget_complete", args=[self.target.pk]),
            {"done_on": "2021-10-28", "actual_value": "10"},
            follow=True,
        )
        self.assertContains(response, "已将攻坚目标")
        self.assertContains(response, 'id="reopen-button"')
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.DONE)
        # The event shows on the page's 办理记录, in words.
        self.assertContains(response, "完成值 10 个")
        self.assertContains(response, "<strong>标记完成</strong>", html=False)

        response = self.client.post(
            reverse("targets:attacktarget_reopen", args=[self.target.pk]), {"reason": ""}, follow=True
        )
        self.assertContains(response, "请填写重新打开的原因。")
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.DONE)

        response = self.client.post(
            reverse("targets:attacktarget_reopen", args=[self.target.pk]),
            {"reason": "数据填报有误"},
            follow=True,
        )
        self.assertContains(response, "已重新打开攻坚目标")
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.IN_PROGRESS)

    def test_bad_date_gives_a_plain_message(self):
        self.client.force_login(self.org.insider)
        response = self.client.post(
            reverse("targets:attacktarget_complete", args=[self.target.pk]),
            {"done_on": "", "actual_value": "10"},
            follow=True,
        )
        self.assertContains(response, "完成日期：")
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.IN_PROGRESS)

    def test_buttons_answer_404_and_403_like_pages(self):
        self.client.force_login(self.org.outsider)
        url = reverse("targets:attacktarget_complete", args=[self.target.pk])
        self.assertEqual(
            self.client.post(url, {"done_on": "2021-10-28", "actual_value": "10"}).status_code, 404
        )
        self.client.force_login(self.org.viewer_a)
        self.assertEqual(
            self.client.post(url, {"done_on": "2021-10-28", "actual_value": "10"}).status_code, 403
        )
        self.target.refresh_from_db()
        self.assertEqual(self.target.status, TargetStatus.IN_PROGRESS)

    def test_api_actions(self):
        self.client.force_login(self.org.insider)
        url = reverse("targets-api:attacktarget-complete", args=[self.target.pk])
        response = self.client.post(
            url, {"done_on": "2021-10-28", "actual_value": "11"}, content_type="application/json"
        )
        self.assertEqual(response.status_code, 200, response.content.decode())
        self.assertEqual(response.json()["status"], "done")
        url = reverse("targets-api:attacktarget-reopen", args=[self.target.pk])
        response = self.client.post(url, {"reason": ""}, content_type="application/json")
        self.assertEqual(response.status_code, 400)
        self.assertEqual(response.json(), {"reason": ["请填写重新打开的原因。"]})
        self.client.force_login(self.org.viewer_a)
        response = self.client.post(url, {"reason": "x"}, content_type="application/json")
        self.assertEqual(response.status_code, 403)


pytestmark = pytest.mark.django_db
