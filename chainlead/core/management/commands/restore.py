"""``chainlead restore FILE``: put a backup back and verify it row by row and file by file."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from chainlead.core.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "从备份恢复数据库和上传的文件，并逐表、逐文件校验。Restore a backup and verify it."

    def add_arguments(self, parser):
        parser.add_argument("archive")
        parser.add_argument("--yes", action="store_true", help="不再确认，直接覆盖当前数据")

    def handle(self, *args, archive, yes=False, **options):
        path = Path(archive)
        if not path.exists():
            raise CommandError(f"找不到备份文件：{path}")
        if not yes:
            answer = input("恢复会覆盖当前全部数据和上传的文件。请先停止网站和后台任务进程。继续吗？[y/N] ")
            if answer.strip().lower() not in ("y", "yes"):
                raise CommandError("已取消。")
        try:
            manifest = restore_backup(path)
        except BackupError as exc:
            raise CommandError(str(exc))
        self.stdout.write(self.style.SUCCESS(f"恢复完成并已校验：{len(manifest['tables'])} 张表，{len(manifest['media'])} 个文件一致。"))
