"""``chainlead worker``: the huey consumer, after marking jobs that a dead worker left half-run."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from chainlead.core.jobs import recover_interrupted_jobs


class Command(BaseCommand):
    help = "运行后台任务进程（huey）。Run the background job worker."

    def add_arguments(self, parser):
        parser.add_argument("--workers", type=int, default=None)

    def handle(self, *args, workers=None, **options):
        failed = recover_interrupted_jobs()
        if failed:
            self.stdout.write(f"已将 {failed} 个中断的任务标记为失败（可重新运行）。")
        kwargs = {"workers": workers} if workers else {}
        call_command("run_huey", **kwargs)
