"""``chainlead demo``: load the demo zone into an empty database and print the demo logins."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from chainlead.core.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "载入演示开发区（仅在数据库为空时）并打印演示账号。Load the demo zone into an empty database."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="数据库已有数据时静默跳过 / skip quietly if data exists"
        )
        parser.add_argument(
            "--logins", action="store_true", help="只打印演示账号 / only print the demo logins"
        )

    def handle(self, *args, if_empty=False, logins=False, verbosity=1, **options):
        from chainlead.organization.models import Unit

        if logins:
            self.print_logins()
            return
        if Unit.objects.exists():
            if if_empty:
                self.stdout.write("演示数据已存在，跳过载入。Demo data already loaded.")
                self.print_logins()
                return
            raise CommandError("数据库里已有单位数据；演示数据只能载入空数据库。The database is not empty.")
        with transaction.atomic():
            ctx = load_demo(verbosity=verbosity)
        self.stdout.write(
            self.style.SUCCESS(f"演示开发区已载入：{len(ctx.units)} 个单位，{len(ctx.users)} 个用户。")
        )
        self.print_logins()

    def print_logins(self):
        from chainlead.organization.demo import DEMO_USERS

        self.stdout.write("")
        self.stdout.write(f"演示账号 Demo logins（密码 password: {DEMO_PASSWORD}）")
        for username, name, role_label, unit_label in DEMO_USERS:
            self.stdout.write(f"  {username:<14} {name:<4}  {role_label} · {unit_label}")
        self.stdout.write("")
