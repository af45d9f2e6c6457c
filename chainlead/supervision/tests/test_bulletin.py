"""督查通报: the demo zone's November 2021 bulletin as a GB/T 9704-2012 document (.docx XML checked,
PDF through LibreOffice, PNG pages in artifacts/bulletins/), and the workflow's refusals."""

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

from django.conf import settings
from django.test import TestCase, override_settings

from chainlead.core.demo import load_demo
from chainlead.core.exceptions import ServiceError
from chainlead.dispatch import services as dispatch_services
from chainlead.supervision import services
from chainlead.supervision.choices import BulletinStatus
from chainlead.supervision.models import Bulletin
from chainlead.supervision.tests.helpers import D, period, project, report
from chainlead.utilities import gbt9704
from chainlead.utilities.testing.base import Org

ARTIFACTS = Path(settings.BASE_DIR) / "artifacts" / "bulletins"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def twips(mm: float) -> int:
    return round(mm / 25.4 * 1440)


@override_settings(CHAINLEAD_TODAY=D(2021, 11, 30))
class DemoBulletinTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.ctx = load_demo(verbosity=0)
        cls.issued = Bulletin.objects.get(status=BulletinStatus.ISSUED)

    def setUp(self):
        # Uploaded files live in a fresh folder per test: write the issued bulletin's files again.
        from chainlead.supervision import documents

        documents.render(self.issued, pdf=False)

    def docx_xml(self, part="word/document.xml") -> str:
        with zipfile.ZipFile(self.issued.docx.path) as z:
            return z.read(part).decode()

    def test_demo_has_november_frozen_one_issued_and_one_draft(self):
        self.assertEqual(self.issued.period.label, "2021年11月")
        self.assertEqual(self.issued.doc_number, "西链办发〔2021〕12号")
        self.assertEqual(self.issued.issue_label, "第11期")
        self.assertEqual(Bulletin.objects.filter(status=BulletinStatus.DRAFT).count(), 1)
        self.assertTrue(self.issued.data["rows"])
        self.assertTrue(self.ctx.extra["supervision"]["excused"].excused)

    def test_docx_page_margins_fonts_title_number_and_page_numbers(self):
        xml = self.docx_xml()
        size = re.search(r'<w:pgSz w:w="(\d+)" w:h="(\d+)"', xml)
        self.assertEqual((int(size[1]), int(size[2])), (twips(210), twips(297)))  # A4
        margins = dict(
            re.findall(r'w:(top|bottom|left|right)="(\d+)"', re.search(r"<w:pgMar [^>]+>", xml)[0])
        )
        self.assertEqual(
            {k: int(v) for k, v in margins.items()},
            {"top": twips(37), "bottom": twips(35), "left": twips(28), "right": twips(26)},
        )
        self.assertIn('w:linePitch="580"', xml)  # 22 lines: 225 mm ÷ 22 ≈ 28.99 pt
        for font in ("方正小标宋简体", "仿宋_GB2312", "黑体", "楷体_GB2312"):
            self.assertIn(f'w:eastAsia="{font}"', xml, font)
        # the title: 2号 (22 pt = 44 half-points) 小标宋
        title_run = re.search(
            r'<w:r><w:rPr><w:rFonts [^>]*w:eastAsia="方正小标宋简体"/>(?:(?!</w:rPr>).)*<w:sz w:val="(\d+)"/>(?:(?!</w:r>).)*<w:t>关于全区',
            xml,
        )
        self.assertIsNotNone(title_run, "title run not found")
        self.assertEqual(title_run[1], "44")
        # the issuer mark in red, the document number "〔2021〕12号" (no leading zeros, no 第)
        self.assertRegex(xml, r'<w:color w:val="FF0000"/>(?:(?!</w:r>).)*<w:t>青岛西海岸新区')
        self.assertRegex(xml, r"<w:t>西链办发〔2021〕[1-9]\d*号</w:t>")
        # the body's headings
        for heading in ("一、总体情况", "二、进展较好", "三、进展滞后", "四、存在问题", "五、下步工作要求"):
            self.assertIn(heading, xml)
        self.assertIn("附件：1.重点项目红黄绿灯清单", xml)
        # page numbers "— N —" in 4号 宋体 on odd and even pages
        with zipfile.ZipFile(self.issued.docx.path) as z:
            footers = [z.read(n).decode() for n in z.namelist() if n.startswith("word/footer")]
        self.assertGreaterEqual(len(footers), 2)
        for footer in footers:
            self.assertRegex(footer, r"<w:t[^>]*>— </w:t>.*PAGE.*<w:t[^>]*> —</w:t>")
            self.assertIn('w:eastAsia="宋体"', footer)
            self.assertIn('<w:sz w:val="28"/>', footer)

    def test_pdf_and_png_pages(self):
        if gbt9704.libreoffice() is None:
            self.skipTest("LibreOffice is not installed (make apt-test)")
        if ARTIFACTS.exists():
            shutil.rmtree(ARTIFACTS)
        ARTIFACTS.mkdir(parents=True)
        docx = ARTIFACTS / "demo-2021-11.docx"
        shutil.copy(self.issued.docx.path, docx)
        pdf = gbt9704.to_pdf(docx, ARTIFACTS)
        pages = gbt9704.pdf_to_png(pdf, ARTIFACTS / "demo-2021-11-page", dpi=80)
        self.assertGreaterEqual(len(pages), 3)
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
        self.assertRegex(text, r"西链办发〔2021〕12\s*号")
        self.assertRegex(text, r"—\s*1\s*—")
        self.assertIn("重点项目红黄绿灯清单", text)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
        self.assertRegex(info, r"Page size:\s+595\.\d+ x 841\.\d+ pts \(A4\)")

    def test_bulletin_page_and_download(self):
        self.client.force_login(self.ctx.users["office"])
        page = self.client.get(self.issued.get_absolute_url())
        self.assertContains(page, "西链办发〔2021〕12号")
        self.assertContains(page, "第11期")
        self.assertNotContains(page, 'id="issue-button"')
        download = self.client.get(f"/supervision/bulletins/{self.issued.pk}/file/docx/")
        self.assertEqual(download.status_code, 200)
        self.assertIn("attachment", download["Content-Disposition"])
        self.assertTrue(b"".join(download.streaming_content).startswith(b"PK"))


@override_settings(CHAINLEAD_TODAY=D(2021, 12, 20), SUPERVISION_BULLETIN_PDF=False)
class BulletinWorkflowTests(TestCase):
    def setUp(self):
        self.org = Org()
        self.p = project(self.org.unit_a, "示范项目")
        self.oct = period(2021, 10)
        report(self.p, self.oct, 500)

    def draft(self):
        dispatch_services.close_period(self.oct, by=self.org.office)
        bulletin = services.create_bulletin(period=self.oct, by=self.org.office, generate=False)
        services.build_now(bulletin, fill_texts=True)
        bulletin.refresh_from_db()
        return bulletin

    def test_a_period_not_yet_closed_is_refused(self):
        with self.assertRaisesMessage(ServiceError, "2021年10月尚未关闭"):
            services.create_bulletin(period=self.oct, by=self.org.office)
        self.assertFalse(Bulletin.objects.exists())
        self.client.force_login(self.org.office)
        response = self.client.post(
            "/supervision/bulletins/add/", {"period": self.oct.pk, "scope_kind": "all"}
        )
        self.assertEqual(response.status_code, 200)
        self.assertIn("尚未关闭", str(response.context["form"].errors))
        self.assertFalse(Bulletin.objects.exists())

    def test_issuing_after_the_period_was_reopened_is_refused(self):
        bulletin = self.draft()
        dispatch_services.reopen_period(self.oct, by=self.org.office, reason="更正数据")
        with self.assertRaisesMessage(ServiceError, "尚未关闭，不能印发"):
            services.issue_bulletin(bulletin, by=self.org.office)
        bulletin.refresh_from_db()
        self.assertEqual((bulletin.status, bulletin.number), (BulletinStatus.DRAFT, None))

    def test_generation_job_fills_the_sections_from_frozen_data(self):
        dispatch_services.close_period(self.oct, by=self.org.office)
        self.client.force_login(self.org.office)
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(
                "/supervision/bulletins/add/", {"period": self.oct.pk, "scope_kind": "all"}
            )
        self.assertEqual(response.status_code, 302)
        bulletin = Bulletin.objects.get()
        self.assertEqual(bulletin.job.status, "succeeded", bulletin.job.error)
        self.assertEqual(bulletin.title, "关于全区2021年1—10月重点项目推进情况的通报")
        self.assertIn("纳入监测的重点项目1个", bulletin.overall_text)
        self.assertIn("示范项目", bulletin.lagging_text + bulletin.good_text)
        self.assertTrue(bulletin.docx.name.endswith(".docx"))

    def test_edit_then_issue_numbers_sequentially_and_freezes(self):
        first = self.draft()
        self.client.force_login(self.org.office)
        data = {
            name: getattr(first, name)
            for name in (
                "title",
                "addressee",
                "basis_text",
                "overall_text",
                "good_text",
                "lagging_text",
                "problems_text",
                "requirements_text",
                "signer",
                "copy_to",
            )
        }
        data["requirements_text"] = "（一）十二月底前全部项目补齐进度。"
        data["_version"] = first.version
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"/supervision/bulletins/{first.pk}/edit/", data)
        self.assertEqual(response.status_code, 302)
        first.refresh_from_db()
        self.assertEqual(first.requirements_text, "（一）十二月底前全部项目补齐进度。")
        with zipfile.ZipFile(first.docx.path) as z:
            self.assertIn("十二月底前全部项目补齐进度", z.read("word/document.xml").decode())
        first = services.issue_bulletin(first, by=self.org.office, render=True)
        second = services.create_bulletin(period=self.oct, by=self.org.office, generate=False)
        services.build_now(second)
        second = services.issue_bulletin(second, by=self.org.office, render=True)
        self.assertEqual((first.doc_number, first.issue_label), ("西链办发〔2021〕1号", "第1期"))
        self.assertEqual((second.doc_number, second.issue_label), ("西链办发〔2021〕2号", "第2期"))
        third = services.create_bulletin(period=self.oct, by=self.org.office, generate=False)
        services.build_now(third)
        with self.assertRaisesMessage(ServiceError, "西链办发〔2021〕2号已被使用"):
            services.issue_bulletin(third, by=self.org.office, number=2)

    def test_an_issued_bulletin_cannot_be_edited(self):
        bulletin = services.issue_bulletin(self.draft(), by=self.org.office, render=True)
        before = (bulletin.title, bulletin.version)
        with self.assertRaisesMessage(ServiceError, "已印发，已归档，不能再修改"):
            services.save_bulletin(bulletin, by=self.org.office, title="改标题")
        self.client.force_login(self.org.office)
        response = self.client.post(
            f"/supervision/bulletins/{bulletin.pk}/edit/", {"title": "改标题"}, follow=True
        )
        self.assertContains(response, "已印发，已归档，不能再修改")
        api = self.client.patch(
            f"/api/supervision/bulletins/{bulletin.pk}/", {"title": "改标题"}, content_type="application/json"
        )
        self.assertEqual(api.status_code, 400)
        self.assertIn("已印发", api.content.decode())
        bulletin.refresh_from_db()
        self.assertEqual((bulletin.title, bulletin.version), before)

    def test_only_the_office_drafts(self):
        from chainlead.core.exceptions import ForbiddenAction

        dispatch_services.close_period(self.oct, by=self.org.office)
        with self.assertRaises(ForbiddenAction):
            services.create_bulletin(period=self.oct, by=self.org.insider)
        self.client.force_login(self.org.insider)
        self.assertEqual(self.client.get("/supervision/bulletins/add/").status_code, 403)

    def test_light_list_exports_xlsx(self):
        import io

        import openpyxl

        dispatch_services.close_period(self.oct, by=self.org.office)
        services.freeze_period(self.oct)
        self.client.force_login(self.org.office)
        response = self.client.get(f"/supervision/lights/?period={self.oct.pk}&component=overall&export=xlsx")
        self.assertEqual(response.status_code, 200)
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).active
        headers = [c.value for c in ws[1]]
        self.assertIn("灯色", headers)
        self.assertEqual(ws.cell(2, headers.index("对象") + 1).value, "示范项目")
        # out of scope: the other unit's head sees no light of unit A
        self.client.force_login(self.org.outsider)
        page = self.client.get(f"/supervision/lights/?period={self.oct.pk}&component=overall")
        self.assertEqual(len(page.context["table"].rows), 0)
