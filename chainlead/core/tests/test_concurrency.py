"""Two users edit the same project, progress report and assessment scheme at the same moment.

Each test uses two real clients (two signed-in users with their own sessions): both open the page
(or GET the API object and its ETag), the first saves, the second saves what they typed over the
version they opened. Nothing is silently overwritten: the second is refused with a clear Chinese
message, their input is still on the page, and the database holds the first user's save. The API
answers 412 to a stale If-Match. The last test runs two threads on PostgreSQL against one row.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal
from html.parser import HTMLParser

import pytest
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

from chainlead.core.exceptions import ConflictError
from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org, make_user


class _FormParser(HTMLParser):
    """What a browser would post from the first form with ``form_id`` (or the first POST form)."""

    def __init__(self, form_id=None):
        super().__init__()
        self.form_id, self.inside, self.done = form_id, False, False
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and not self.done and (self.form_id is None or a.get("id") == self.form_id):
            self.inside = (a.get("method") or "").lower() == "post"
        if not self.inside:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind in ("submit", "button", "file"):
                return
            self.data.setdefault(name, []).append(a.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            if self._textarea:
                self.data[self._textarea][0] = self.data[self._textarea][0].lstrip("\n")
            self._textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def open_form(client: Client, url: str, form_id=None) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    parser = _FormParser(form_id)
    parser.feed(response.content.decode())
    return {k: (v if len(v) > 1 else (v[0] if v else "")) for k, v in parser.data.items()}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def org(db):
    return Org()


def project_of(unit, name="示范项目"):
    from chainlead.dispatch.tests.factories import project

    return project(unit, name=name)


# --- project --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_two_users_edit_the_same_project_page(org):

    project = project_of(org.unit_a)
    url = reverse("projects:keyproject_edit", args=[project.pk])
    first, second = signed_in(org.insider), signed_in(org.office)
    form_1, form_2 = open_form(first, url, "object-form"), open_form(second, url, "object-form")
    assert form_1["_version"] == form_2["_version"] == str(project.version), "the page carries the version"

    form_1["investor_name"] = "甲用户填写的投资方"
    assert first.post(url, form_1).status_code == 302
    form_2["investor_name"] = "乙用户填写的投资方"
    response = second.post(url, form_2)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已被他人修改" in body and "您的修改尚未保存" in body
    assert "乙用户填写的投资方" in body, "the second user's input is still on the page"
    project.refresh_from_db()
    assert project.investor_name == "甲用户填写的投资方" and project.version == 2


@pytest.mark.django_db
def test_a_page_form_without_the_version_is_refused(org):
    from chainlead.projects.models import KeyProject

    project = project_of(org.unit_a)
    url = reverse("projects:keyproject_edit", args=[project.pk])
    client = signed_in(org.office)
    form = open_form(client, url, "object-form")
    form.pop("_version")
    form["investor_name"] = "没有版本号的修改"
    response = client.post(url, form)
    assert response.status_code == 200
    assert "缺少这条项目的版本号" in response.content.decode() or "缺少这条" in response.content.decode()
    assert KeyProject.objects.get(pk=project.pk).investor_name == "某投资方"


@pytest.mark.django_db
def test_two_users_edit_the_same_project_through_the_api(org):
    from chainlead.projects.models import KeyProject

    project = project_of(org.unit_a)
    url = reverse("projects-api:keyproject-detail", args=[project.pk])
    first, second = signed_in(org.insider), signed_in(org.office)
    etag_1, etag_2 = first.get(url)["ETag"], second.get(url)["ETag"]
    assert etag_1 == etag_2 == f'"{project.version}"'

    ok = first.patch(url, {"investor_name": "甲"}, content_type="application/json", headers={"If-Match": etag_1})
    assert ok.status_code == 200, ok.content
    stale = second.patch(url, {"investor_name": "乙"}, content_type="application/json", headers={"If-Match": etag_2})
    assert stale.status_code == 412
    assert "已被他人修改" in stale.json()["detail"]
    assert KeyProject.objects.get(pk=project.pk).investor_name == "甲"
    # Without If-Match the API saves over the current version (allowed, documented).
    assert second.patch(url, {"investor_name": "乙"}, content_type="application/json").status_code == 200


# --- progress report ------------------------------------------------------------------------------
@pytest.fixture
def report_world(db):
    from chainlead.dispatch.tests import factories as f

    org = Org(role=Role.REPORTER)
    head = make_user("head_a", unit=org.unit_a, roles=[(Role.UNIT_HEAD, org.unit_a)])
    project = f.project(org.unit_a, annual_plan=Decimal(3000), total_investment=Decimal(10000))
    report = f.report(item=project, per=f.period(2021, 10), amount=Decimal(200))
    return org, head, report


def test_two_users_edit_the_same_report_page(report_world):
    org, head, report = report_world
    url = reverse("dispatch:progressreport_edit", args=[report.pk])
    first, second = signed_in(org.insider), signed_in(head)
    form_1, form_2 = open_form(first, url, "report-form"), open_form(second, url, "report-form")
    assert form_1["_version"] == str(report.version)
    form_1["progress_text"] = "甲：主体结构封顶"
    form_1["action"] = "save"
    assert first.post(url, form_1).status_code == 302
    form_2["progress_text"] = "乙：正在进行装饰装修"
    form_2["action"] = "save"
    response = second.post(url, form_2)
    assert response.status_code == 200
    body = response.content.decode()
    assert "已被他人修改" in body and "乙：正在进行装饰装修" in body
    report.refresh_from_db()
    assert report.progress_text == "甲：主体结构封顶"


def test_submit_racing_an_edit_is_refused(report_world):
    """The reporter looks at the report and presses 提交审核 while the unit head has just changed it:
    submitting content the reporter has not seen is refused."""
    from chainlead.dispatch import services
    from chainlead.dispatch.choices import ReportStatus

    org, head, report = report_world
    page = report.get_absolute_url()
    reporter = signed_in(org.insider)
    submit = open_form(reporter, page, "submit-form")
    assert submit["version"] == str(report.version)
    edit = reverse("dispatch:progressreport_edit", args=[report.pk])
    editor = signed_in(head)
    form = open_form(editor, edit, "report-form")
    form.update(progress_text="负责人改过的形象进度", action="save")
    assert editor.post(edit, form).status_code == 302

    response = reporter.post(reverse("dispatch:progressreport_submit", args=[report.pk]), submit, follow=True)
    body = response.content.decode()
    assert "提交失败" in body and "已被他人修改或处理" in body
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    # Having seen the latest, the reporter submits.
    again = open_form(reporter, page, "submit-form")
    reporter.post(reverse("dispatch:progressreport_submit", args=[report.pk]), again)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED
    assert services.compute_figures(report) is not None


def test_approve_racing_a_return_and_resubmit_is_refused(report_world):
    """The head opens the report to approve it; meanwhile the office returns it, the reporter edits
    and resubmits. The head's approval, given for the content they saw, is refused."""
    from chainlead.dispatch import services
    from chainlead.dispatch.choices import ReportStatus

    org, head, report = report_world
    services.submit_report(report, by=org.insider)
    page = report.get_absolute_url()
    approver = signed_in(head)
    approve = open_form(approver, page, form_id="approve-form")
    approve["comment"] = "同意，进度属实"

    services.return_report(report, by=org.office, reason="补充照片")
    report.refresh_from_db()
    report.progress_text = "改过的内容"
    services.save_report(report, by=org.insider)
    services.submit_report(report, by=org.insider)

    review = reverse("dispatch:progressreport_review", args=[report.pk])
    body = approver.post(review, approve, follow=True).content.decode()
    assert "审核失败" in body and "同意，进度属实" in body, "the head's comment is given back"
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.reviewed_by_id == org.office.pk


def test_report_api_submit_with_a_stale_etag_is_412(report_world):
    from chainlead.dispatch.choices import ReportStatus
    from chainlead.dispatch.models import ProgressReport

    org, head, report = report_world
    url = reverse("dispatch-api:progressreport-detail", args=[report.pk])
    reporter, editor = signed_in(org.insider), signed_in(head)
    etag = reporter.get(url)["ETag"]
    changed = editor.patch(
        url, {"progress_text": "负责人修改"}, content_type="application/json", headers={"If-Match": editor.get(url)["ETag"]}
    )
    assert changed.status_code == 200, changed.content
    submit = reverse("dispatch-api:progressreport-submit", args=[report.pk])
    response = reporter.post(submit, headers={"If-Match": etag})
    assert response.status_code == 412 and "已被他人修改或处理" in response.json()["detail"]
    assert ProgressReport.objects.get(pk=report.pk).status == ReportStatus.DRAFT
    stale_edit = reporter.patch(url, {"progress_text": "填报员修改"}, content_type="application/json", headers={"If-Match": etag})
    assert stale_edit.status_code == 412
    assert ProgressReport.objects.get(pk=report.pk).progress_text == "负责人修改"
    fresh = reporter.get(url)["ETag"]
    assert reporter.post(submit, headers={"If-Match": fresh}).status_code == 200


# --- assessment scheme weights --------------------------------------------------------------------
@pytest.fixture
def scheme(db):
    from chainlead.assessment.models import Indicator, IndicatorGroup, Scheme

    scheme = Scheme.objects.create(name="测试方案", code="t", tiebreak="attraction")
    group = IndicatorGroup.objects.create(scheme=scheme, name="项目招引", code="attraction", weight=100)
    for code, name, weight in (("a", "签约项目数", 60), ("b", "到位资金", 40)):
        Indicator.objects.create(
            scheme=scheme, group=group, name=name, code=code, weight=weight, computation=_computation()
        )
    return scheme


def _computation():
    from chainlead.assessment.computations import computation_choices

    return computation_choices()[0][0]


def test_two_users_edit_the_same_scheme_weights(org, scheme):
    from chainlead.assessment.models import Indicator

    a, b = scheme.indicators.order_by("code")
    url = reverse("assessment:scheme_weights", args=[scheme.pk])
    first, second = signed_in(org.office), signed_in(make_user("office2", unit=org.office_unit, roles=[(Role.OFFICE_ADMIN, org.office_unit)]))
    form_1, form_2 = open_form(first, url, "weights-form"), open_form(second, url, "weights-form")
    assert form_1["versions"], "the weights page carries the versions it shows"
    form_1.update({f"i{a.pk}": "70", f"i{b.pk}": "30"})
    saved = first.post(url, form_1)
    assert saved.status_code == 302, saved.content.decode()[-3000:]
    form_2.update({f"i{a.pk}": "55", f"i{b.pk}": "45"})
    response = second.post(url, form_2)
    assert response.status_code == 200
    body = response.content.decode()
    assert "他人已修改了考核方案" in body and "签约项目数" in body
    assert 'value="55"' in body and 'value="45"' in body, "the second user's weights stay on the page"
    assert {i.code: i.weight for i in Indicator.objects.filter(scheme=scheme)} == {"a": 70, "b": 30}
    # A weights form without the versions is refused.
    form_2.pop("versions")
    response = second.post(url, form_2)
    assert "缺少权重的版本信息" in response.content.decode()
    assert {i.code: i.weight for i in Indicator.objects.filter(scheme=scheme)} == {"a": 70, "b": 30}


def test_indicator_edit_racing_the_weights_page(org, scheme):
    """One user changes an indicator on its own page while another has the weights page open."""
    a, b = scheme.indicators.order_by("code")
    weights = reverse("assessment:scheme_weights", args=[scheme.pk])
    first = signed_in(org.office)
    form_w = open_form(first, weights, "weights-form")
    other = type(a).objects.get(pk=a.pk)  # someone saves the indicator's own page meanwhile
    other.name = "签约项目个数"
    other.save()
    form_w.update({f"i{a.pk}": "50", f"i{b.pk}": "50"})
    body = first.post(weights, form_w).content.decode()
    assert "签约项目个数" in body and "他人已修改" in body
    a.refresh_from_db()
    assert a.weight == 60


# --- two threads on PostgreSQL --------------------------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_threads_saving_one_project_lose_no_update():
    """Two requests read the same project, then write it at the same moment (a barrier lines them
    up; each holds its transaction open a little). One wins, the other gets ConflictError; the row
    holds the winner's value and its version went up by exactly one."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks: run with DATABASE_URL=postgres://… (as CI does)")
    from chainlead.projects.models import KeyProject

    org = Org()
    project = project_of(org.unit_a)
    barrier = threading.Barrier(2)
    outcome: dict[str, str] = {}

    def edit(name):
        try:
            mine = KeyProject.objects.get(pk=project.pk)  # both read version 1
            barrier.wait(timeout=10)
            with transaction.atomic():
                mine.investor_name = name
                mine.save()  # the second UPDATE waits on the first's row lock, then finds version 2
                time.sleep(0.3)
            outcome[name] = "saved"
        except ConflictError:
            outcome[name] = "conflict"
        finally:
            connection.close()

    threads = [threading.Thread(target=edit, args=(n,)) for n in ("线程甲", "线程乙")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(outcome.values()) == ["conflict", "saved"], outcome
    winner = next(n for n, v in outcome.items() if v == "saved")
    project.refresh_from_db()
    assert project.investor_name == winner and project.version == 2
