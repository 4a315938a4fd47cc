"""Subcommands of the `caretriage` CLI.

Each module exposes `register(subparsers)`, which adds its parser and sets
`handler=<function(args, settings) -> int>` as a default. Add a module here only when
its command really works.
"""

from __future__ import annotations

from types import ModuleType

from bot.commands import (
    check_reply_cmd,
    classify_cmd,
    config_cmd,
    dashboard_user_cmd,
    demo_cmd,
    erase_cmd,
    eval_cmd,
    eval_guard_cmd,
    export_cmd,
    ingest_cmd,
    migrate_cmd,
    retention_cmd,
    run_cmd,
    tickets_cmd,
    train_cmd,
    train_guard_cmd,
)

COMMAND_MODULES: tuple[ModuleType, ...] = (
    config_cmd,
    dashboard_user_cmd,
    migrate_cmd,
    ingest_cmd,
    tickets_cmd,
    erase_cmd,
    export_cmd,
    retention_cmd,
    check_reply_cmd,
    eval_guard_cmd,
    train_guard_cmd,
    train_cmd,
    classify_cmd,
    eval_cmd,
    demo_cmd,
    run_cmd,
)
