"""`caretriage config`: print the effective settings with secrets masked."""

from __future__ import annotations

import argparse
import json

from bot.logging_setup import mask_url_password
from bot.settings import Settings, secret_field_names


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("config", help="show the effective settings (secrets masked)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, settings: Settings) -> int:
    secrets = secret_field_names()
    shown: dict[str, object] = {}
    for name, value in settings.model_dump(mode="json").items():
        if name in secrets:
            shown[name] = "***" if value is not None else None
        elif name == "database_url":
            # A URL may carry a password (postgresql://user:pw@host/db).
            shown[name] = mask_url_password(str(value))
        else:
            shown[name] = value
    print(json.dumps(shown, indent=2, sort_keys=True))
    return 0
