"""Progress reports: every workflow transition (allowed and forbidden) and permission, the
cumulative figures and their validation, photos, closed periods and concurrent edits — through the
services, the pages and the API."""

import datetime
import io
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse
from PIL import Image

from chainlead.core.exceptions import ServiceError
from chainlead.core.models import AuditEvent, Notification
from chainlead.dispatch import services
from chainlead.dispatch.choices import ReportStatus
from chainlead.dispatch.models import ProgressReport, ReportPhoto, TotalInvestmentChange
from chainlead.dispatch.tests import factories as f
from chainlead.organization.choices import Role
from chainlead.organization.permissions import invalidate_scope
from chainlead.utilities.testing.base import Org, assert_logged, make_user

D = Decimal


def events(report, verb):
    ct = ContentType.objects.get_for_model(ProgressReport)
    return AuditEvent.objects.filter(content_type=ct, object_id=report.pk, verb=verb)


@override_settings(CHAINLEAD_TODAY=f.TODAY)
class ReportCase(TestCase):
    """unit A: a reporter (insider), a unit head and a viewer; unit B: a reporter; the office."""

    def setUp(self):
        self.org = Org(role=Role.REPORTER)
        self.head = make_user("head_a", unit=self.org.unit_a, roles=[(Role.UNIT_HEAD, self.org.unit_a)])
        self.head_b = make_user("head_b", unit=self.org.unit_b, roles=[(Role.UNIT_HEAD, self.org.unit_b)])
        self.leader = make_user(
            "leader", unit=self.org.office_unit, roles=[(Role.LEADER, self.org.office_unit)]
        )
        self.project = f.project(self.org.unit_a, annual_plan=D(3000), total_investment=D(10000))
        self.october = f.period(2021, 10)
        self.report = f.report(item=self.project, per=self.october, amount=D(200))

    def submit(self, report=None, by=None, **kw):
        return services.submit_report(report or self.report, by=by or self.org.insider, **kw)


class SubmitTests(ReportCase):
    def test_draft_to_submitted_on_time_is_audited(self):
        at = f.local(2021, 11, 3, 10, 0)
        report = self.submit(at=at)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        self.assertEqual(self.report.submitted_by, self.org.insider)
        self.assertEqual(self.report.first_submitted_at, at)
        self.assertFalse(self.report.is_late)
        self.assertEqual(report.ytd_completed, D(200))
        event = events(self.report, "submitted").get()
        self.assertEqual(event.user, self.org.insider)
        assert_logged(self.report, action="update", user=self.org.insider)

    def test_after_the_deadline_is_late(self):
        # October is due 5 working days after 31 October: Friday 5 November 17:00.
        self.assertEqual(self.october.due_at, f.local(2021, 11, 5, 17, 0))
        report = self.submit(at=f.local(2021, 11, 5, 17, 1))
        self.assertTrue(report.is_late)
        self.assertIn("迟报", events(self.report, "submitted").get().message)

    def test_permission_matrix(self):
        for user in (self.org.outsider, self.org.viewer_a, self.org.nobody, self.head_b):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                self.submit(by=user)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DRAFT)
        for user in (self.head, self.org.office):
            report = f.report(item=f.project(self.org.unit_a, name=f"{user}项目"))
            services.submit_report(report, by=user)
            report.refresh_from_db()
            self.assertEqual(report.status, ReportStatus.SUBMITTED)

    def test_cannot_submit_twice_or_after_approval(self):
        self.submit()
        with self.assertRaisesMessage(ServiceError, "已提交、正在审核"):
            self.submit()
        services.approve_report(self.report, by=self.head)
        with self.assertRaisesMessage(ServiceError, "已审核通过"):
            self.submit()

    def test_submit_needs_the_physical_progress(self):
        self.report.progress_text = ""
        self.report.save()
        with self.assertRaises(ServiceError) as ctx:
            self.submit()
        self.assertEqual(ctx.exception.field, "progress_text")

    def test_reviewers_are_told_after_commit(self):
        with self.captureOnCommitCallbacks(execute=True):
            self.submit()
        note = Notification.objects.get(user=self.head)
        self.assertIn("待审核", note.title)
        self.assertFalse(Notification.objects.filter(user=self.head_b).exists())


class ReviewTests(ReportCase):
    def setUp(self):
        super().setUp()
        self.submit(at=f.local(2021, 11, 2, 9))

    def test_approve_by_unit_head_and_office(self):
        services.approve_report(self.report, by=self.head, comment="同意")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.APPROVED)
        self.assertEqual(self.report.reviewed_by, self.head)
        self.assertEqual(events(self.report, "approved").get().message, "同意")
        other = f.report(item=f.project(self.org.unit_b, name="乙项目"), status=ReportStatus.SUBMITTED)
        services.approve_report(other, by=self.org.office)
        other.refresh_from_db()
        self.assertEqual(other.status, ReportStatus.APPROVED)

    def test_approve_refused_to_reporters_viewers_leaders_and_other_units(self):
        for user in (self.org.insider, self.org.viewer_a, self.leader, self.head_b, self.org.outsider):
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.approve_report(self.report, by=user)
            with self.subTest(user=user.username), self.assertRaises(PermissionDenied):
                services.return_report(self.report, by=user, reason="请核实")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)

    def test_only_submitted_reports_are_reviewed(self):
        draft = f.report(item=f.project(self.org.unit_a, name="草稿项目"))
        with self.assertRaisesMessage(ServiceError, "只有待审核的报告才能审核通过"):
            services.approve_report(draft, by=self.head)
        with self.assertRaisesMessage(ServiceError, "只有待审核的报告才能退回"):
            services.return_report(draft, by=self.head, reason="x")

    def test_return_needs_a_reason_then_fix_and_resubmit(self):
        with self.assertRaises(ServiceError) as ctx:
            services.return_report(self.report, by=self.head, reason="  ")
        self.assertEqual(ctx.exception.field, "reason")
        with self.captureOnCommitCallbacks(execute=True):
            services.return_report(self.report, by=self.head, reason="与监理月报不符")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.RETURNED)
        self.assertEqual(self.report.return_reason, "与监理月报不符")
        self.assertIn("被退回", Notification.objects.get(user=self.org.insider).title)
        # The reporter corrects the figure and resubmits after the deadline: still on time, since
        # timeliness counts from the first submission.
        self.report.period_completed = D(120)
        services.save_report(self.report, by=self.org.insider)
        self.submit(at=f.local(2021, 11, 8, 9))
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        self.assertFalse(self.report.is_late)
        self.assertEqual(self.report.first_submitted_at, f.local(2021, 11, 2, 9))
        self.assertEqual(self.report.ytd_completed, D(120))
        services.approve_report(self.report, by=self.head)

    def test_approved_report_only_the_office_returns_for_correction(self):
        services.approve_report(self.report, by=self.head)
        with self.assertRaisesMessage(ServiceError, "只能由领导小组办公室退回"):
            services.return_report(self.report, by=self.head, reason="更正")
        services.return_report(self.report, by=self.org.office, reason="更正累计数")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.RETURNED)

    def test_closing_the_period_locks_approved_reports(self):
        services.approve_report(self.report, by=self.head)
        pending = f.report(item=f.project(self.org.unit_a, name="待审项目"), status=ReportStatus.SUBMITTED)
        draft = f.report(item=f.project(self.org.unit_a, name="草稿项目"))
        with self.assertRaises(PermissionDenied):
            services.close_period(self.october, by=self.head)
        services.close_period(self.october, by=self.org.office)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.LOCKED)
        # A submitted report can still be approved: it is locked at once. It cannot be returned.
        with self.assertRaisesMessage(ServiceError, "已关闭"):
            services.return_report(pending, by=self.head, reason="x")
        services.approve_report(pending, by=self.head)
        pending.refresh_from_db()
        self.assertEqual(pending.status, ReportStatus.LOCKED)
        with self.assertRaisesMessage(ServiceError, "已关闭"):
            services.submit_report(draft, by=self.org.insider)
        with self.assertRaisesMessage(ServiceError, "已关闭"):
            services.return_report(self.report, by=self.org.office, reason="x")
        services.reopen_period(self.october, by=self.org.office, reason="更正")
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.APPROVED)


class FigureTests(ReportCase):
    """ytd and since-start are computed; they never go down; they match the period figures."""

    def setUp(self):
        super().setUp()
        self.september = f.period(2021, 9)
        self.sep = f.report(item=self.project, per=self.september, amount=D(300))
        services.submit_report(self.sep, by=self.org.insider)
        self.submit()  # October: 200
        self.report.refresh_from_db()

    def test_cumulative_figures(self):
        self.assertEqual(self.report.ytd_completed, D(500))
        self.assertEqual(self.report.since_start_completed, D(500))
        self.assertEqual(self.report.annual_plan, D(3000))
        self.assertEqual(self.report.plan_rate, D("16.7"))

    def test_ytd_typed_by_the_reporter_gives_the_period_figure(self):
        november = f.period(2021, 11)
        nov = f.report(item=self.project, per=november)
        derived, message = services.derive_period_completed(nov, D(800))
        self.assertIsNone(message)
        self.assertEqual(derived, D(300))
        nov.period_completed = derived
        services.save_report(nov, by=self.org.insider, ytd_completed=D(800))
        nov.refresh_from_db()
        self.assertEqual((nov.period_completed, nov.ytd_completed), (D(300), D(800)))

    def test_ytd_that_goes_down_is_refused(self):
        nov = f.report(item=self.project, per=f.period(2021, 11))
        derived, message = services.derive_period_completed(nov, D(400))
        self.assertIsNone(derived)
        self.assertIn("不能减少", message)
        self.assertIn("500.00", message)
        with self.assertRaises(ServiceError) as ctx:
            services.save_report(nov, by=self.org.insider, ytd_completed=D(400))
        self.assertEqual(ctx.exception.field, "ytd_completed")

    def test_period_and_ytd_must_agree(self):
        nov = f.report(item=self.project, per=f.period(2021, 11), amount=D(100))
        with self.assertRaisesMessage(ServiceError, "对不上"):
            services.save_report(nov, by=self.org.insider, ytd_completed=D(700))
        nov.refresh_from_db()
        self.assertEqual(nov.ytd_completed, D(0))  # nothing saved

    def test_negative_period_figure_is_refused(self):
        self.report.status = ReportStatus.DRAFT
        self.report.save()
        self.report.period_completed = D(-50)
        with self.assertRaisesMessage(ServiceError, "不能为负数"):
            services.save_report(self.report, by=self.org.insider)

    def test_cumulative_above_total_investment_needs_a_filed_change(self):
        nov = f.report(item=self.project, per=f.period(2021, 11), amount=D(9600))
        with self.assertRaisesMessage(ServiceError, "超过项目总投资"):
            services.save_report(nov, by=self.org.insider)
        change = TotalInvestmentChange(
            project=self.project, new_total=D(12000), filed_on=datetime.date(2021, 11, 1), reason="增加研发楼"
        )
        services.file_investment_change(change, by=self.org.insider)
        self.assertEqual(change.old_total, D(10000))
        services.save_report(nov, by=self.org.insider)
        nov.refresh_from_db()
        self.assertEqual(nov.since_start_completed, D(10100))

    def test_editing_an_earlier_report_recomputes_the_later_one(self):
        services.return_report(self.sep, by=self.org.office, reason="更正")
        self.report.refresh_from_db()
        self.assertEqual(self.report.ytd_completed, D(200))  # September no longer counts
        self.sep.refresh_from_db()
        self.sep.period_completed = D(350)
        services.save_report(self.sep, by=self.org.insider)
        services.submit_report(self.sep, by=self.org.insider)
        self.report.refresh_from_db()
        self.assertEqual(self.report.ytd_completed, D(550))
        # The sums match: each report's ytd minus the previous one's is its own period figure.
        rows = list(ProgressReport.objects.filter(project=self.project).order_by("period__start"))
        previous = D(0)
        for row in rows:
            self.assertEqual(row.ytd_completed - previous, row.period_completed)
            previous = row.ytd_completed

    def test_edit_that_would_push_a_later_report_over_the_total_is_refused(self):
        services.return_report(self.sep, by=self.org.office, reason="更正")
        self.sep.refresh_from_db()
        self.sep.period_completed = D(9900)
        services.save_report(self.sep, by=self.org.insider)  # a draft does not count yet
        with self.assertRaisesMessage(ServiceError, "2021年10月的报告"):
            services.submit_report(self.sep, by=self.org.insider)
        self.sep.refresh_from_db()
        self.assertEqual(self.sep.status, ReportStatus.RETURNED)

    def test_opening_balance_only_on_the_first_report_and_ytd_resets_in_january(self):
        old = f.project(
            self.org.unit_a, name="续建项目", started_on=datetime.date(2020, 6, 1), total_investment=D(50000)
        )
        dec = f.report(item=old, per=f.period(2020, 12), amount=D(1000), opening_balance=D(8000))
        services.submit_report(dec, by=self.org.insider)
        jan = f.report(item=old, per=f.period(2021, 1), amount=D(700))
        services.submit_report(jan, by=self.org.insider)
        jan.refresh_from_db()
        self.assertEqual((jan.ytd_completed, jan.since_start_completed), (D(700), D(9700)))
        feb = f.report(item=old, per=f.period(2021, 2), amount=D(10), opening_balance=D(5))
        with self.assertRaises(ServiceError) as ctx:
            services.save_report(feb, by=self.org.insider)
        self.assertEqual(ctx.exception.field, "opening_balance")

    def test_a_target_report_in_a_project_period_is_refused(self):
        target = f.target(self.org.unit_a)
        invalidate_scope(self.org.insider)  # the zone was created after the grants were read
        report = ProgressReport(period=self.october, target=target, period_completed=D(1), progress_text="x")
        with self.assertRaisesMessage(ServiceError, "不能填报攻坚目标"):
            services.save_report(report, by=self.org.insider)


class PhotoTests(ReportCase):
    def test_exif_time_is_read_and_the_file_re_encoded_without_exif(self):
        taken = f.local(2021, 10, 30, 14, 25)
        services.save_report(
            self.report, by=self.org.insider, photos=[services.PhotoUpload(file=f.jpeg(taken=taken))]
        )
        photo = ReportPhoto.objects.get(report=self.report)
        self.assertEqual(photo.captured_at, taken)
        self.assertTrue(photo.captured_from_exif)
        with photo.image.open("rb") as handle:
            stored = Image.open(io.BytesIO(handle.read()))
            self.assertEqual(stored.format, "JPEG")
            self.assertEqual(dict(stored.getexif()), {})

    def test_png_without_time_needs_one_entered(self):
        with self.assertRaisesMessage(ServiceError, "没有记录拍摄时间"):
            services.save_report(
                self.report, by=self.org.insider, photos=[services.PhotoUpload(file=f.png())]
            )
        self.assertFalse(ReportPhoto.objects.exists())
        when = f.local(2021, 11, 1, 9, 0)
        services.save_report(
            self.report, by=self.org.insider, photos=[services.PhotoUpload(file=f.png(), taken_at=when)]
        )
        photo = ReportPhoto.objects.get()
        self.assertEqual(photo.captured_at, when)
        self.assertFalse(photo.captured_from_exif)
        self.assertTrue(photo.image.name.endswith(".jpg"))

    def test_not_an_image_or_too_big(self):
        fake = SimpleUploadedFile("site.jpg", b"#!/bin/sh\necho pwned\n" * 20)
        with self.assertRaisesMessage(ServiceError, "不是图片"):
            services.save_report(self.report, by=self.org.insider, photos=[services.PhotoUpload(file=fake)])
        big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"0" * (20 * 1024 * 1024 + 10))
        with self.assertRaisesMessage(ServiceError, "超过 20 MB"):
            services.save_report(self.report, by=self.org.insider, photos=[services.PhotoUpload(file=big)])
        broken = SimpleUploadedFile("broken.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 200)
        with self.assertRaisesMessage(ServiceError, "无法作为图片打开"):
            services.save_report(self.report, by=self.org.insider, photos=[services.PhotoUpload(file=broken)])
        self.assertFalse(ReportPhoto.objects.exists())

    def test_photo_file_is_served_only_within_scope(self):
        services.save_report(
            self.report,
            by=self.org.insider,
            photos=[services.PhotoUpload(file=f.jpeg(taken=f.local(2021, 11, 1, 8)))],
        )
        photo = ReportPhoto.objects.get()
        self.client.force_login(self.org.viewer_a)
        response = self.client.get(reverse("dispatch:reportphoto_file", args=[photo.pk]))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["Content-Type"], "image/jpeg")
        self.client.force_login(self.org.outsider)
        self.assertEqual(
            self.client.get(reverse("dispatch:reportphoto_file", args=[photo.pk])).status_code, 404
        )


class FormTests(ReportCase):
    """The report form: bad input gets a message naming the field, and nothing is saved."""

    def edit(self, data, user=None, files=None):
        self.client.force_login(user or self.org.insider)
        payload = {"period_completed": "200", "progress_text": "主体施工", "_version": self.report.version}
        payload.update(data)
        if files:
            payload.update(files)
        return self.client.post(reverse("dispatch:progressreport_edit", args=[self.report.pk]), payload)

    def test_phone_form_offers_the_camera(self):
        self.client.force_login(self.org.insider)
        page = self.client.get(
            reverse("dispatch:progressreport_edit", args=[self.report.pk])
        ).content.decode()
        self.assertIn('accept="image/*"', page)
        self.assertIn('capture="environment"', page)
        self.assertIn("multiple", page)
        self.assertIn('id="submit-report"', page)

    def test_save_and_submit_in_one_go_with_a_photo(self):
        response = self.edit(
            {"action": "submit", "photo_taken_at": "2021-11-02T09:30"},
            files={"photos": [f.png("a.png"), f.jpeg("b.jpg", f.local(2021, 11, 1, 8))]},
        )
        self.assertEqual(response.status_code, 302)
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        self.assertEqual(self.report.photos.count(), 2)

    def test_cumulative_going_down_names_the_field_and_saves_nothing(self):
        services.submit_report(self.report, by=self.org.insider)
        nov = f.report(item=self.project, per=f.period(2021, 11), amount=D(0))
        self.report = nov
        response = self.edit({"period_completed": "", "ytd_completed": "150"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("不能减少", str(response.context["form"].errors["ytd_completed"]))
        nov.refresh_from_db()
        self.assertEqual(nov.version, 1)

    def test_neither_figure_given(self):
        response = self.edit({"period_completed": "", "ytd_completed": ""})
        self.assertIn("请填写本期完成", str(response.context["form"].errors["period_completed"]))

    def test_submit_without_physical_progress(self):
        response = self.edit({"action": "submit", "progress_text": ""})
        self.assertIn("形象进度", str(response.context["form"].errors["progress_text"]))
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.DRAFT)

    def test_photo_that_is_not_an_image(self):
        fake = SimpleUploadedFile("notes.jpg", b"hello world, not a photo" * 10)
        response = self.edit({}, files={"photos": [fake]})
        self.assertEqual(response.status_code, 200)
        text = response.content.decode()
        self.assertIn("不是图片", text)
        self.assertIn("所选照片尚未保存", text)
        self.assertFalse(ReportPhoto.objects.exists())

    def test_edit_of_an_approved_report(self):
        services.submit_report(self.report, by=self.org.insider)
        services.approve_report(self.report, by=self.head)
        self.client.force_login(self.org.insider)
        url = reverse("dispatch:progressreport_edit", args=[self.report.pk])
        response = self.client.get(url)
        self.assertRedirects(response, self.report.get_absolute_url())
        self.report.refresh_from_db()
        response = self.edit({"period_completed": "999"})
        self.assertEqual(response.status_code, 200)
        self.assertIn("已审核通过", str(response.context["form"].non_field_errors()))
        self.report.refresh_from_db()
        self.assertEqual(self.report.period_completed, D(200))
        response = self.client.get(url, follow=True)
        self.assertContains(response, "已审核通过，不能再修改")

    def test_report_for_a_closed_period(self):
        services.close_period(self.october, by=self.org.office)
        response = self.edit({"period_completed": "300"})
        self.assertIn("已关闭", str(response.context["form"].errors))
        self.report.refresh_from_db()
        self.assertEqual(self.report.period_completed, D(200))
        self.client.force_login(self.org.insider)
        other = f.project(self.org.unit_a, name="新项目")
        response = self.client.get(
            reverse("dispatch:report_fill", args=[self.october.pk, "project", other.pk]), follow=True
        )
        self.assertContains(response, "已关闭，不能再填报")
        self.assertFalse(ProgressReport.objects.filter(project=other).exists())

    def test_two_people_editing_the_same_report(self):
        self.client.force_login(self.org.insider)
        version = self.report.version
        first = self.edit({"period_completed": "210", "progress_text": "甲的修改", "_version": version})
        self.assertEqual(first.status_code, 302)
        second = self.edit(
            {"period_completed": "230", "progress_text": "乙的修改", "_version": version}, user=self.head
        )
        self.assertEqual(second.status_code, 200)
        self.assertIn("已被他人修改", str(second.context["form"].non_field_errors()))
        self.assertContains(second, "乙的修改")  # the second editor's input is kept on the page
        self.report.refresh_from_db()
        self.assertEqual((self.report.progress_text, self.report.period_completed), ("甲的修改", D(210)))

    def test_fill_creates_the_draft_once_and_opens_the_form(self):
        other = f.project(self.org.unit_a, name="一键填报项目")
        url = reverse("dispatch:report_fill", args=[self.october.pk, "project", other.pk])
        self.client.force_login(self.org.insider)
        response = self.client.get(url)
        report = ProgressReport.objects.get(project=other)
        self.assertRedirects(response, reverse("dispatch:progressreport_edit", args=[report.pk]))
        self.client.get(url)
        self.assertEqual(ProgressReport.objects.filter(project=other).count(), 1)
        self.assertEqual(report.responsible_unit, self.org.unit_a)
        self.client.force_login(self.org.outsider)
        self.assertEqual(self.client.get(url).status_code, 404)

    def test_submit_and_review_buttons(self):
        self.client.force_login(self.org.viewer_a)
        self.assertEqual(
            self.client.post(reverse("dispatch:progressreport_submit", args=[self.report.pk])).status_code,
            403,
        )
        self.client.force_login(self.org.outsider)
        self.assertEqual(
            self.client.post(reverse("dispatch:progressreport_submit", args=[self.report.pk])).status_code,
            404,
        )
        self.client.logout()
        response = self.client.post(reverse("dispatch:progressreport_submit", args=[self.report.pk]))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.client.force_login(self.org.insider)
        self.client.post(
            reverse("dispatch:progressreport_submit", args=[self.report.pk]), {"version": self.report.version}
        )
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.SUBMITTED)
        review = reverse("dispatch:progressreport_review", args=[self.report.pk])
        version = self.report.version
        self.assertEqual(self.client.post(review, {"action": "approve", "version": version}).status_code, 403)
        self.client.force_login(self.head)
        page = self.client.get(reverse("dispatch:review")).content.decode()
        self.assertIn(str(self.project), page)
        self.assertIn(f'name="version" value="{version}"', page)
        response = self.client.post(review, {"action": "return", "reason": "", "version": version}, follow=True)
        self.assertContains(response, "请填写退回原因")
        self.client.post(review, {"action": "approve", "comment": "同意", "version": version})
        self.report.refresh_from_db()
        self.assertEqual(self.report.status, ReportStatus.APPROVED)

    def test_only_drafts_are_deleted(self):
        services.submit_report(self.report, by=self.org.insider)
        self.client.force_login(self.head)
        response = self.client.post(
            reverse("dispatch:progressreport_delete", args=[self.report.pk]), follow=True
        )
        self.assertContains(response, "只能删除草稿")
        self.assertTrue(ProgressReport.objects.filter(pk=self.report.pk).exists())


class APITests(ReportCase):
    def api(self, method, url, data=None, user=None, **headers):
        import json

        self.client.force_login(user or self.org.insider)
        return getattr(self.client, method)(
            url, json.dumps(data or {}), content_type="application/json", headers=headers
        )

    def test_workflow_over_the_api(self):
        base = reverse("dispatch-api:progressreport-detail", args=[self.report.pk])
        self.assertEqual(self.api("post", base + "submit/", user=self.org.viewer_a).status_code, 403)
        response = self.api("post", base + "submit/")
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(response.json()["status"], "submitted")
        self.assertEqual(self.api("post", base + "approve/").status_code, 403)
        response = self.api("post", base + "return/", {"reason": "请核实"}, user=self.head)
        self.assertEqual(response.json()["status"], "returned")
        self.api("post", base + "submit/")
        response = self.api("post", base + "approve/", {"comment": "好"}, user=self.head)
        self.assertEqual(response.json()["status"], "approved")
        response = self.api("patch", base, {"period_completed": "999"})
        self.assertEqual(response.status_code, 400)
        self.assertIn("已审核通过", response.json()["detail"])
        self.report.refresh_from_db()
        self.assertEqual(self.report.period_completed, D(200))

    def test_ytd_down_and_closed_period_over_the_api(self):
        services.submit_report(self.report, by=self.org.insider)
        nov = f.period(2021, 11)
        url = reverse("dispatch-api:progressreport-list")
        response = self.api(
            "post", url, {"period": nov.pk, "project": self.project.pk, "ytd_completed": "50"}
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("不能减少", response.json()["ytd_completed"][0])
        response = self.api(
            "post", url, {"period": nov.pk, "project": self.project.pk, "ytd_completed": "260"}
        )
        self.assertEqual(response.status_code, 201, response.content)
        self.assertEqual(response.json()["period_completed"], "60.00")
        services.close_period(nov, by=self.org.office)
        response = self.api(
            "patch",
            reverse("dispatch-api:progressreport-detail", args=[response.json()["id"]]),
            {"period_completed": "70"},
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("已关闭", str(response.json()))

    def test_photos_over_the_api(self):
        url = reverse("dispatch-api:progressreport-detail", args=[self.report.pk]) + "photos/"
        self.client.force_login(self.org.insider)
        response = self.client.post(url, {"photos": [f.jpeg(taken=f.local(2021, 11, 2, 10))]})
        self.assertEqual(response.status_code, 200, response.content)
        self.assertEqual(len(response.json()["photos"]), 1)
        response = self.client.post(url, {"photos": [SimpleUploadedFile("x.jpg", b"not an image at all")]})
        self.assertEqual(response.status_code, 400)
        self.assertIn("不是图片", str(response.json()))

    def test_if_match_conflict(self):
        url = reverse("dispatch-api:progressreport-detail", args=[self.report.pk])
        stale = f'"{self.report.version}"'
        self.assertEqual(
            self.api("patch", url, {"progress_text": "甲"}, **{"If-Match": stale}).status_code, 200
        )
        response = self.api("patch", url, {"progress_text": "乙"}, user=self.head, **{"If-Match": stale})
        self.assertEqual(response.status_code, 412)
        self.report.refresh_from_db()
        self.assertEqual(self.report.progress_text, "甲")
