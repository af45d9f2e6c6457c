"""The `chainlead` console command: manage.py with a change context and one-line start-up errors.

Every management command runs inside a change context whose source is ``command:<name>``, so a
write made by a command (``chainlead demo``, an import, a fix-up) lands in the change log with its
own id, exactly like a write made from a page.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a Django management command the way manage.py does."""
    argv = list(argv if argv is not None else sys.argv)
    # `python -m chainlead.cli chainlead <command>` (used by `chainlead serve`) passes the program
    # name twice; drop it.
    if len(argv) > 1 and argv[1] == "chainlead":
        argv = argv[1:]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chainlead.settings")
    from django.core.exceptions import ImproperlyConfigured

    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        # A bad DATABASE_URL (or any other bad setting) stops start-up with one clear line.
        print(f"chainlead: 配置错误 / configuration error: {exc}", file=sys.stderr)
        raise SystemExit(2)

    from django.core.management import execute_from_command_line

    from chainlead.core.context import change_context

    name = argv[1] if len(argv) > 1 else "help"
    with change_context(source=f"command:{name}"):
        execute_from_command_line(argv)


if __name__ == "__main__":
    main()
