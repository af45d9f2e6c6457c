"""The credit code (统一社会信用代码) through the form and through the API: every reason for a
refusal is named, lower case is accepted and stored upper case, and a duplicate is refused with
the constraint's message. Nothing is saved when the code is wrong."""

import json

from django.test import TestCase
from django.urls import reverse

from chainlead.enterprises.models import Enterprise
from chainlead.enterprises.tests.factories import make_enterprise, valid_code
from chainlead.utilities.testing.base import Org
from chainlead.utilities.validators import credit_code_check_char

GOOD = valid_code(1234567)


def wrong_check(code: str) -> str:
    """The same first 17 characters with another (wrong) check character."""
    other = "0" if code[17] != "0" else "1"
    return code[:17] + other


def bad_region(code: str) -> str:
    first17 = code[:2] + "37A211" + code[8:17]
    return first17 + credit_code_check_char(first17)


#: (input, words the message must contain)
CASES = [
    ("91370211MA3C", ["应为18位", "12位"]),
    (GOOD + "9", ["应为18位", "19位"]),
    (GOOD[:10] + "I" + GOOD[11:], ["第11位", "“I”", "不是允许的字符"]),
    (GOOD[:4] + "O" + GOOD[5:], ["第5位", "“O”"]),
    (bad_region(GOOD), ["第3至8位", "行政区划码", "37A211"]),
    (wrong_check(GOOD), ["校验位不对", f"应为“{GOOD[17]}”", f"实为“{wrong_check(GOOD)[17]}”"]),
]


class CreditCodeFormTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.client.force_login(self.org.office)

    def post(self, code, name="青岛校验测试有限公司"):
        return self.client.post(
            reverse("enterprises:enterprise_add"),
            {
                "name": name,
                "credit_code": code,
                "stats_status": "not_in",
                "responsible_unit": self.org.unit_a.pk,
            },
        )

    def test_each_reason_is_named_and_nothing_is_saved(self):
        for code, words in CASES:
            with self.subTest(code=code):
                response = self.post(code)
                self.assertEqual(response.status_code, 200)
                errors = response.context["form"].errors.get("credit_code")
                self.assertTrue(errors, f"{code} was accepted")
                message = " ".join(errors)
                for word in words:
                    self.assertIn(word, message)
                self.assertEqual(len(errors), 1, f"one plain message, got {errors}")
                self.assertContains(response, words[0])
        self.assertFalse(Enterprise.objects.exists())

    def test_lower_case_is_accepted_and_stored_upper_case(self):
        lower = GOOD.lower()
        self.assertNotEqual(lower, GOOD)
        response = self.post(f" {lower} ")
        self.assertEqual(response.status_code, 302, response.context and response.context["form"].errors)
        self.assertEqual(Enterprise.objects.get().credit_code, GOOD)

    def test_duplicate_code_names_the_constraint(self):
        make_enterprise("青岛先到有限公司", self.org.unit_a, credit_code=GOOD)
        response = self.post(GOOD.lower(), name="青岛后到有限公司")
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "已有企业使用这个统一社会信用代码。")
        self.assertEqual(Enterprise.objects.count(), 1)

    def test_empty_code_is_allowed_for_targets_not_yet_registered(self):
        self.assertEqual(self.post("").status_code, 302)
        self.assertEqual(self.post("", name="青岛另一家未注册公司").status_code, 302)
        self.assertEqual(Enterprise.objects.filter(credit_code="").count(), 2)


class CreditCodeAPITests(TestCase):
    def setUp(self):
        self.org = Org()
        self.client.force_login(self.org.office)
        self.url = reverse("enterprises-api:enterprise-list")

    def post(self, code, name="青岛接口校验有限公司"):
        body = {"name": name, "credit_code": code, "responsible_unit": self.org.unit_a.pk}
        return self.client.post(self.url, json.dumps(body), content_type="application/json")

    def test_each_reason_is_named_and_nothing_is_saved(self):
        for code, words in CASES:
            with self.subTest(code=code):
                response = self.post(code)
                self.assertEqual(response.status_code, 400, response.content.decode())
                errors = response.json()["credit_code"]
                self.assertEqual(len(errors), 1, errors)
                for word in words:
                    self.assertIn(word, errors[0])
        self.assertFalse(Enterprise.objects.exists())

    def test_lower_case_is_accepted_and_stored_upper_case(self):
        response = self.post(GOOD.lower())
        self.assertEqual(response.status_code, 201, response.content.decode())
        self.assertEqual(response.json()["credit_code"], GOOD)
        self.assertEqual(Enterprise.objects.get().credit_code, GOOD)

    def test_duplicate_code_names_the_constraint(self):
        make_enterprise("青岛先到有限公司", self.org.unit_a, credit_code=GOOD)
        response = self.post(GOOD)
        self.assertEqual(response.status_code, 400)
        self.assertIn("已有企业使用这个统一社会信用代码。", response.content.decode())
        self.assertEqual(Enterprise.objects.count(), 1)

    def test_patch_with_a_wrong_code_changes_nothing(self):
        e = make_enterprise("青岛改码有限公司", self.org.unit_a, credit_code=GOOD)
        url = reverse("enterprises-api:enterprise-detail", args=[e.pk])
        response = self.client.patch(
            url, json.dumps({"credit_code": wrong_check(GOOD)}), content_type="application/json"
        )
        self.assertEqual(response.status_code, 400)
        self.assertIn("校验位不对", response.json()["credit_code"][0])
        e.refresh_from_db()
        self.assertEqual(e.credit_code, GOOD)
