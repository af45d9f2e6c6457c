"""Generated page and API tests for units, users and role grants."""

from chainlead.organization.choices import Role, UnitKind
from chainlead.organization.models import RoleGrant, Unit, User
from chainlead.utilities.testing.base import PASSWORD, make_user
from chainlead.utilities.testing.models import ModelAPITests, ModelViewTests


class UnitSample:
    model = Unit
    role = Role.UNIT_HEAD
    insider_can_add = False  # only the office creates units
    insider_can_delete = False

    def make(self, org, unit, n=0):
        return Unit.objects.create(name=f"{unit.name}下属科室{n}", kind=UnitKind.DEPARTMENT, parent=unit)

    def form_data(self, org, unit):
        return {
            "name": "新设科室",
            "kind": UnitKind.DEPARTMENT,
            "parent": unit.pk,
            "sort_order": 5,
            "is_active": "on",
        }

    def api_data(self, org, unit):
        return {"name": "接口科室", "kind": UnitKind.DEPARTMENT, "parent": unit.pk}

    def edit_data(self, org, obj):
        return {
            "name": obj.name + "（改）",
            "kind": obj.kind,
            "parent": obj.parent_id,
            "sort_order": 7,
            "is_active": "on",
            "_version": obj.version,
        }


class TestUnitViews(UnitSample, ModelViewTests):
    pass


class TestUnitAPI(UnitSample, ModelAPITests):
    pass


class UserSample:
    model = User
    role = Role.UNIT_HEAD
    insider_can_add = False
    insider_can_edit = False
    insider_can_delete = False

    def make(self, org, unit, n=0):
        return make_user(f"person{n}_{unit.pk}", unit=unit, name=f"人员{n}")

    def form_data(self, org, unit):
        return {
            "username": "newbie",
            "name": "新同事",
            "unit": unit.pk,
            "initial_password": PASSWORD,
            "is_active": "on",
        }

    def api_data(self, org, unit):
        return {"username": "apiuser", "name": "接口用户", "unit": unit.pk}

    def edit_data(self, org, obj):
        return {
            "username": obj.username,
            "name": obj.name + "改",
            "unit": obj.unit_id,
            "is_active": "on",
            "_version": obj.version,
        }


class TestUserViews(UserSample, ModelViewTests):
    pass


class TestUserAPI(UserSample, ModelAPITests):
    pass


class RoleGrantSample:
    model = RoleGrant
    role = Role.UNIT_HEAD
    insider_can_add = False
    insider_can_edit = False
    insider_can_delete = False

    def make(self, org, unit, n=0):
        person = make_user(f"granted{n}_{unit.pk}", unit=unit)
        return RoleGrant.objects.create(user=person, role=Role.REPORTER, unit=unit)

    def form_data(self, org, unit):
        person = make_user(f"formuser_{unit.pk}", unit=unit)
        return {"user": person.pk, "role": Role.VIEWER, "unit": unit.pk}

    def edit_data(self, org, obj):
        return {"user": obj.user_id, "role": Role.VIEWER, "unit": obj.unit_id, "_version": obj.version}


class TestRoleGrantViews(RoleGrantSample, ModelViewTests):
    pass


class TestRoleGrantAPI(RoleGrantSample, ModelAPITests):
    pass
