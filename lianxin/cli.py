"""The `lianxin` command: `lianxin ml …` for models, anything else goes to Django's management commands."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianxin.settings")
    if args and args[0] == "ml":
        import django

        django.setup()
        from lianxin.intake.ml_commands import main as ml_main

        return ml_main(args[1:])
    from django.core.management import execute_from_command_line

    execute_from_command_line(["lianxin", *args])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
