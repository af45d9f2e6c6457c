"""``chainlead backup [--output FILE]``: database + uploaded files + manifest, in one .tar.gz."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from chainlead.core.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "备份数据库（含变更记录和审计事件）和上传的文件。Back up the database and uploaded files."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="输出文件（默认 var/backups/chainlead-时间.tar.gz）")

    def handle(self, *args, output=None, **options):
        path = Path(output) if output else Path(settings.DATA_DIR) / "backups" / (
            "chainlead-" + timezone.localtime().strftime("%Y%m%d-%H%M%S") + ".tar.gz"
        )
        try:
            manifest = create_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc))
        rows = sum(t["rows"] for t in manifest["tables"].values())
        self.stdout.write(self.style.SUCCESS(
            f"备份完成：{path}（{len(manifest['tables'])} 张表，{rows} 行，{len(manifest['media'])} 个文件）"
        ))
