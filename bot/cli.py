"""The `caretriage` command line.

Exit codes: 0 success, 1 runtime failure, 2 bad input (usage, settings, malformed data).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from bot.commands import COMMAND_MODULES
from bot.logging_setup import install_secret_filter
from bot.settings import SettingsError, load_settings

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2


def package_version() -> str:
    try:
        return version("caretriage")
    except PackageNotFoundError:
        return "0+unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="caretriage",
        description="Multilingual privacy-complaint triage for telecom social-care teams.",
    )
    parser.add_argument("--version", action="version", version=f"caretriage {package_version()}")
    parser.add_argument(
        "--config",
        type=Path,
        metavar="FILE",
        help="TOML settings file (secrets only from the environment)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = load_settings(args.config)
    except SettingsError as exc:
        print(f"caretriage: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    logging.basicConfig(
        level=settings.log_level,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    # Per-request and per-job lines from these libraries drown the product's own log at
    # INFO; at DEBUG the operator asked for everything.
    root_level = logging.getLogger().level
    chatty_level = root_level if root_level <= logging.DEBUG else max(logging.WARNING, root_level)
    for chatty in ("httpx", "apscheduler", "telegram.ext.Updater", "aiohttp.access"):
        logging.getLogger(chatty).setLevel(chatty_level)
    install_secret_filter(settings)
    try:
        result: int = args.handler(args, settings)
    except KeyboardInterrupt:
        return 130
    return result


if __name__ == "__main__":
    sys.exit(main())
