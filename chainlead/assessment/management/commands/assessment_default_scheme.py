"""Install the default assessment scheme (DOMAIN.md §7.2) if it is missing, e.g. after it was
deleted by hand. A fresh install already has it from the data migration."""

from django.core.management.base import BaseCommand

from chainlead.assessment.default_scheme import CODE, install
from chainlead.assessment.models import Indicator, IndicatorGroup, Scheme
from chainlead.core.context import change_context


class Command(BaseCommand):
    help = "安装默认考核方案（功能区/战区，100分）；已存在则不做任何修改。"

    def handle(self, *args, **options):
        with change_context(source="command:assessment_default_scheme"):
            scheme = install(Scheme, IndicatorGroup, Indicator)
        if scheme is None:
            self.stdout.write(f"默认考核方案（{CODE}）已存在，未作修改。")
        else:
            self.stdout.write(self.style.SUCCESS(f"已安装默认考核方案：{scheme}"))
