"""Generated per-model tests: every page and API action of a model, tried four ways.

A model's test module supplies only the model and its sample data::

    class TestUnitViews(ModelViewTests):
        model = Unit
        role = Role.UNIT_HEAD

        def make(self, org, unit, n=0):            # an object that belongs to ``unit``
            return Unit.objects.create(name=f"科室{n}", kind=UnitKind.DEPARTMENT, parent=unit)

        def form_data(self, org, unit):            # a valid create/edit form for ``unit``
            return {"name": "新科室", "kind": "department", "parent": unit.pk, "sort_order": 1}

For each action (list, detail, add, edit, delete, and the same over the API) the tests check:
anonymous → login page / 401-403; no role → 403; out of unit scope → 404 (or absent from the
list); with permission → success, and every write left its change-log entry with the user and
the source (web / api). Lists and details have a query budget, and the list is checked for N+1
by comparing the query count with 3 and with 8 objects.
"""

from __future__ import annotations

import json

from django.test import TestCase
from django.urls import reverse

from chainlead.organization.choices import Role
from chainlead.utilities.testing.base import Org, assert_logged, count_queries, max_queries


class _ModelTestBase(TestCase):
    model = None
    role = Role.UNIT_HEAD
    #: Role able to *add*, if it differs (e.g. only the office may create units).
    add_role: str | None = None
    list_query_budget = 16
    detail_query_budget = 18
    api_list_query_budget = 10
    #: Set False where a role cannot add at all for the model (then the office adds).
    insider_can_add = True
    insider_can_edit = True
    insider_can_delete = True
    #: The model is readable by every user with a role (``public_actions = {"view"}``): objects of
    #: other units are then listed and viewable, and writing them answers 403 instead of 404.
    public_view = False

    #: Only concrete subclasses (that name a model) are collected as tests.
    __test__ = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.__test__ = cls.model is not None

    def setUp(self):
        self.org = Org(role=self.role)

    # hooks ----------------------------------------------------------------------------------------
    def make(self, org, unit, n=0):
        raise NotImplementedError

    def form_data(self, org, unit) -> dict:
        raise NotImplementedError

    def api_data(self, org, unit) -> dict:
        return self.form_data(org, unit)

    def edit_data(self, org, obj) -> dict:
        data = self.form_data(org, self.unit_of(obj))
        data["_version"] = obj.version
        return data

    def unit_of(self, obj):
        return self.org.unit_a

    # helpers --------------------------------------------------------------------------------------
    def hidden_status(self) -> int:
        """Status of a write to an object outside the user's units: 404 (invisible) or 403."""
        return 403 if self.public_view else 404

    def url(self, action, *args):
        meta = self.model._meta
        return reverse(f"{meta.app_label}:{meta.model_name}_{action}", args=args)

    def api_url(self, action, *args):
        meta = self.model._meta
        return reverse(f"{meta.app_label}-api:{meta.model_name}-{action}", args=args)

    def login(self, user):
        self.client.force_login(user)

    def adder(self):
        return self.org.insider if self.insider_can_add else self.org.office

    def editor(self):
        return self.org.insider if self.insider_can_edit else self.org.office

    def deleter(self):
        return self.org.insider if self.insider_can_delete else self.org.office


class ModelViewTests(_ModelTestBase):
    """Pages: list, detail, add, edit, delete."""

    def test_list_anonymous_redirects_to_login(self):
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])

    def test_list_without_role_is_forbidden(self):
        self.login(self.org.nobody)
        self.assertEqual(self.client.get(self.url("list")).status_code, 403)

    def test_list_shows_only_objects_in_scope(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        theirs = self.make(self.org, self.org.unit_b, 2)
        self.login(self.org.insider)
        response = self.client.get(self.url("list"))
        self.assertEqual(response.status_code, 200)
        pks = {row.record.pk for row in response.context["table"].rows}
        self.assertIn(mine.pk, pks)
        if self.public_view:
            self.assertIn(theirs.pk, pks)
        else:
            self.assertNotIn(theirs.pk, pks)
        self.login(self.org.office)
        pks = {row.record.pk for row in self.client.get(self.url("list")).context["table"].rows}
        self.assertTrue({mine.pk, theirs.pk} <= pks)

    def test_list_query_budget_and_no_n_plus_one(self):
        self.login(self.org.office)
        for n in range(3):
            self.make(self.org, self.org.unit_a, 10 + n)
        self.client.get(self.url("list"))  # warm caches (content types, sessions)
        with max_queries(self.list_query_budget):
            self.client.get(self.url("list"))
        few = count_queries(lambda: self.client.get(self.url("list")))
        for n in range(5):
            self.make(self.org, self.org.unit_a, 20 + n)
        many = count_queries(lambda: self.client.get(self.url("list")))
        self.assertEqual(few, many, f"list page runs more queries with more rows ({few} → {many}): N+1")

    def test_list_exports_xlsx_of_filtered_rows(self):
        self.make(self.org, self.org.unit_a, 1)
        self.login(self.org.office)
        response = self.client.get(self.url("list") + "?export=xlsx")
        self.assertEqual(response.status_code, 200)
        self.assertIn("spreadsheetml", response["Content-Type"])
        import io

        import openpyxl

        wb = openpyxl.load_workbook(io.BytesIO(response.content))
        ws = wb.active
        self.assertGreaterEqual(ws.max_row, 2)
        self.assertEqual(ws.freeze_panes, "A2")

    def test_detail_out_of_scope_is_404(self):
        theirs = self.make(self.org, self.org.unit_b, 1)
        self.login(self.org.insider)
        expected = 200 if self.public_view else 404
        self.assertEqual(self.client.get(self.url("detail", theirs.pk)).status_code, expected)

    def test_detail_without_role_is_forbidden(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        self.login(self.org.nobody)
        self.assertEqual(self.client.get(self.url("detail", mine.pk)).status_code, 403)

    def test_detail_in_scope(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        self.login(self.org.insider)
        self.client.get(self.url("detail", mine.pk))
        with max_queries(self.detail_query_budget):
            response = self.client.get(self.url("detail", mine.pk))
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, str(mine)[:20])

    def test_add_anonymous_redirects(self):
        before = self.model.objects.count()
        response = self.client.post(self.url("add"), self.form_data(self.org, self.org.unit_a))
        self.assertEqual(response.status_code, 302)
        self.assertIn(reverse("login"), response["Location"])
        self.assertEqual(self.model.objects.count(), before)

    def test_add_without_role_is_forbidden(self):
        before = self.model.objects.count()
        self.login(self.org.nobody)
        response = self.client.post(self.url("add"), self.form_data(self.org, self.org.unit_a))
        self.assertEqual(response.status_code, 403)
        self.assertEqual(self.model.objects.count(), before)

    def test_add_out_of_scope_is_refused(self):
        if not self.insider_can_add:
            self.login(self.org.outsider)
            self.assertEqual(self.client.get(self.url("add")).status_code, 403)
            return
        before = self.model.objects.count()
        self.login(self.org.outsider)
        response = self.client.post(self.url("add"), self.form_data(self.org, self.org.unit_a))
        self.assertEqual(
            response.status_code, 200, "an out-of-scope create must re-show the form with an error"
        )
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.model.objects.count(), before)

    def test_add_with_permission_is_logged(self):
        user = self.adder()
        before = self.model.objects.count()
        self.login(user)
        response = self.client.post(self.url("add"), self.form_data(self.org, self.org.unit_a))
        if response.status_code != 302:
            self.fail(
                f"create failed: {getattr(response.context.get('form'), 'errors', response.status_code)}"
            )
        self.assertEqual(self.model.objects.count(), before + 1)
        obj = self.model.objects.order_by("-pk").first()
        assert_logged(obj, action="create", user=user, source="web")

    def test_add_invalid_saves_nothing(self):
        user = self.adder()
        before = self.model.objects.count()
        self.login(user)
        response = self.client.post(self.url("add"), {})
        self.assertEqual(response.status_code, 200)
        self.assertTrue(response.context["form"].errors)
        self.assertEqual(self.model.objects.count(), before)

    def test_edit_out_of_scope_is_404(self):
        theirs = self.make(self.org, self.org.unit_b, 1)
        self.login(self.org.insider)
        self.assertEqual(self.client.get(self.url("edit", theirs.pk)).status_code, self.hidden_status())
        response = self.client.post(self.url("edit", theirs.pk), self.edit_data(self.org, theirs))
        self.assertEqual(response.status_code, self.hidden_status())

    def test_edit_viewer_is_forbidden(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        self.login(self.org.viewer_a)
        response = self.client.post(self.url("edit", mine.pk), self.edit_data(self.org, mine))
        self.assertEqual(response.status_code, 403)

    def test_edit_with_permission_is_logged(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        self.login(self.editor())
        response = self.client.post(self.url("edit", mine.pk), self.edit_data(self.org, mine))
        if response.status_code != 302:
            self.fail(f"edit failed: {getattr(response.context.get('form'), 'errors', response.status_code)}")
        assert_logged(mine, action="update", user=self.editor(), source="web")

    def test_edit_conflict_keeps_both_versions_safe(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        stale = self.edit_data(self.org, mine)
        # Someone else saves first.
        fresh = type(mine).objects.get(pk=mine.pk)
        fresh.save()
        self.login(self.editor())
        response = self.client.post(self.url("edit", mine.pk), stale)
        self.assertEqual(response.status_code, 200)
        self.assertIn("已被他人修改", str(response.context["form"].non_field_errors()))
        mine.refresh_from_db()
        self.assertEqual(mine.version, fresh.version)

    def test_delete_out_of_scope_is_404(self):
        theirs = self.make(self.org, self.org.unit_b, 1)
        self.login(self.org.insider)
        self.assertEqual(self.client.post(self.url("delete", theirs.pk)).status_code, self.hidden_status())
        self.assertTrue(self.model.objects.filter(pk=theirs.pk).exists())

    def test_delete_with_permission_is_logged(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        user = self.deleter()
        self.login(user)
        pk = mine.pk
        response = self.client.post(self.url("delete", pk))
        self.assertEqual(response.status_code, 302)
        self.assertFalse(self.model.objects.filter(pk=pk).exists())
        assert_logged(self.model, pk, action="delete", user=user, source="web")


class ModelAPITests(_ModelTestBase):
    """The REST API: list, retrieve, create, update (with ETag/If-Match), delete."""

    def api(self, method, url, data=None, user=None, **headers):
        if user is not None:
            self.login(user)
        body = json.dumps(data) if data is not None else None
        return getattr(self.client, method)(url, body, content_type="application/json", headers=headers)

    def test_api_anonymous_is_refused(self):
        response = self.client.get(self.api_url("list"))
        self.assertIn(response.status_code, (401, 403))

    def test_api_without_role_is_forbidden(self):
        self.login(self.org.nobody)
        self.assertEqual(self.client.get(self.api_url("list")).status_code, 403)

    def test_api_list_scoped_with_budget(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        theirs = self.make(self.org, self.org.unit_b, 2)
        self.login(self.org.insider)
        self.client.get(self.api_url("list"))
        with max_queries(self.api_list_query_budget):
            response = self.client.get(self.api_url("list"))
        self.assertEqual(response.status_code, 200)
        ids = {row["id"] for row in response.json()["results"]}
        self.assertIn(mine.pk, ids)
        if self.public_view:
            self.assertIn(theirs.pk, ids)
        else:
            self.assertNotIn(theirs.pk, ids)

    def test_api_retrieve_out_of_scope_is_404(self):
        theirs = self.make(self.org, self.org.unit_b, 1)
        self.login(self.org.insider)
        expected = 200 if self.public_view else 404
        self.assertEqual(self.client.get(self.api_url("detail", theirs.pk)).status_code, expected)

    def test_api_retrieve_sends_etag(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        self.login(self.org.insider)
        response = self.client.get(self.api_url("detail", mine.pk))
        self.assertEqual(response.status_code, 200)
        self.assertEqual(response["ETag"], f'"{mine.version}"')

    def test_api_create_with_permission_is_logged(self):
        user = self.adder()
        response = self.api("post", self.api_url("list"), self.api_data(self.org, self.org.unit_a), user=user)
        self.assertEqual(response.status_code, 201, response.content.decode())
        assert_logged(self.model, response.json()["id"], action="create", user=user, source="api")

    def test_api_create_invalid_saves_nothing(self):
        before = self.model.objects.count()
        response = self.api("post", self.api_url("list"), {}, user=self.adder())
        self.assertEqual(response.status_code, 400)
        self.assertEqual(self.model.objects.count(), before)

    def test_api_update_out_of_scope_is_404(self):
        theirs = self.make(self.org, self.org.unit_b, 1)
        response = self.api("patch", self.api_url("detail", theirs.pk), {}, user=self.org.insider)
        self.assertEqual(response.status_code, self.hidden_status())

    def test_api_update_viewer_is_forbidden(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        response = self.api("patch", self.api_url("detail", mine.pk), {}, user=self.org.viewer_a)
        self.assertEqual(response.status_code, 403)

    def test_api_update_is_logged_and_if_match_detects_conflict(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        url = self.api_url("detail", mine.pk)
        ok = self.api("patch", url, {}, user=self.editor(), **{"If-Match": f'"{mine.version}"'})
        self.assertEqual(ok.status_code, 200, ok.content.decode())
        assert_logged(mine, action="update", user=self.editor(), source="api")
        stale = self.api("patch", url, {}, **{"If-Match": f'"{mine.version}"'})
        self.assertEqual(stale.status_code, 412, stale.content.decode())

    def test_api_delete_with_permission_is_logged(self):
        mine = self.make(self.org, self.org.unit_a, 1)
        user = self.deleter()
        pk = mine.pk
        response = self.api("delete", self.api_url("detail", pk), user=user)
        self.assertEqual(response.status_code, 204)
        assert_logged(self.model, pk, action="delete", user=user, source="api")
