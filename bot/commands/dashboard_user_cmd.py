"""`caretriage dashboard-user`: make one dashboard login for CARETRIAGE_DASHBOARD_USERS.

The password is read from a prompt that does not echo (asked twice) or, for scripts, from
standard input with --password-stdin; it never appears on the command line, where other
users of the machine and the shell history would see it. Only the salted PBKDF2 hash is
printed, in the `name:role:hash` form the dashboard verifies at login.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import warnings
from typing import cast

from bot.settings import Settings
from bot.web.auth import (
    MIN_PASSWORD_LENGTH,
    ROLES,
    AuthConfigError,
    Role,
    check_new_password,
    check_user_name,
    parse_users,
    user_entry,
)

EXIT_BAD_INPUT = 2


class PasswordInputError(Exception):
    """The password could not be read, or was refused; exit code 2 with this message."""


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "dashboard-user",
        help="print a dashboard login (name:role:password hash) for CARETRIAGE_DASHBOARD_USERS",
    )
    parser.add_argument("name", help="the user name typed at the dashboard login")
    parser.add_argument(
        "--role",
        required=True,
        choices=ROLES,
        help="viewer and agent see pseudonyms only; manager and dpo also see contact handles; "
        "only manager may acknowledge breaches and override the reply guard",
    )
    parser.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (one line) instead of prompting",
    )
    parser.set_defaults(handler=run)


def _prompt(prompt: str) -> str:
    # Without a terminal getpass would fall back to reading standard input with the
    # password echoed; refuse instead and point at --password-stdin.
    with warnings.catch_warnings():
        warnings.simplefilter("error", getpass.GetPassWarning)
        try:
            return getpass.getpass(prompt)
        except getpass.GetPassWarning:
            raise PasswordInputError(
                "no terminal to prompt for the password on; use --password-stdin"
            ) from None
        except EOFError:
            raise PasswordInputError("no password given") from None


def prompted_password(name: str) -> str:
    password = _prompt(f"Password for {name} (at least {MIN_PASSWORD_LENGTH} characters): ")
    try:
        check_new_password(password)
    except AuthConfigError as exc:
        raise PasswordInputError(str(exc)) from None
    if _prompt("Repeat the password: ") != password:
        raise PasswordInputError("the two passwords do not match")
    return password


def stdin_password() -> str:
    text = sys.stdin.read()
    # `echo`, `printf '%s\n'` and files end the line; the newline is not part of it.
    if text.endswith("\n"):
        text = text[:-1]
        text = text.removesuffix("\r")
    if "\n" in text or "\r" in text:
        raise PasswordInputError("--password-stdin reads one line; got several")
    return text


def run(args: argparse.Namespace, settings: Settings) -> int:
    name = str(args.name)
    role = cast(Role, args.role)
    try:
        check_user_name(name)
        password = stdin_password() if args.password_stdin else prompted_password(name)
        entry = user_entry(name, role, password)
    except (AuthConfigError, PasswordInputError) as exc:
        print(f"caretriage dashboard-user: error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    print(entry)
    print(
        "caretriage dashboard-user: add the line above to CARETRIAGE_DASHBOARD_USERS "
        "(environment only; separate users with commas; single-quote the value in a shell, "
        "as the hash contains '$'), e.g.\n"
        "  export CARETRIAGE_DASHBOARD_USERS='<line above>,<another user>'",
        file=sys.stderr,
    )
    if _already_configured(settings, name):
        print(
            f"caretriage dashboard-user: {name!r} is already in CARETRIAGE_DASHBOARD_USERS; "
            "replace that entry with this one",
            file=sys.stderr,
        )
    return 0


def _already_configured(settings: Settings, name: str) -> bool:
    if settings.dashboard_users is None:
        return False
    try:
        return name in parse_users(settings.dashboard_users.get_secret_value())
    except AuthConfigError:
        return False  # the dashboard itself reports a malformed list at start-up
