"""One typed settings object, read from the environment and an optional TOML file.

Precedence: environment variables override the TOML file, which overrides defaults.
Secrets (tokens, keys) are accepted only from the environment: a config file is often
committed or copied around, so a secret in it is refused at start-up.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, Field, SecretStr, ValidationError, field_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

ENV_PREFIX = "CARETRIAGE_"

IntList = Annotated[list[int], NoDecode]


class SettingsError(Exception):
    """Settings could not be loaded; the message names the offending setting or file."""


def _env(name: str, *extra: str) -> Any:
    return AliasChoices(f"{ENV_PREFIX}{name.upper()}", *extra)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        extra="forbid",
        populate_by_name=True,
        validate_default=True,
    )

    # storage
    database_url: str = Field(
        default="sqlite+aiosqlite:///./caretriage.db",
        validation_alias=_env("database_url", "DATABASE_URL", "database_url"),
    )
    pseudonym_key: SecretStr | None = Field(default=None, validation_alias=_env("pseudonym_key"))

    # triage
    default_jurisdiction: str = "EU"
    # operator account -> jurisdiction code. The account is the Telegram bot's username, the
    # numeric X account id, or the `account` of a replayed line; an operator with one bot
    # and X account per country brand maps each of them to that brand's country.
    account_jurisdictions: dict[str, str] = Field(default_factory=dict)
    review_threshold: float = Field(default=0.55, ge=0.0, le=1.0)
    attach_window_hours: float = Field(default=72.0, gt=0)
    # an evidence question a customer has not answered is forgotten after this long idle
    # (24 h by default); a later message from them is then ingested as a new message
    interview_idle_minutes: float = Field(
        default=1440.0,
        gt=0,
        description=(
            "Minutes an unanswered evidence question waits for the customer's answer; "
            "after that their next message is ingested as a new message."
        ),
    )
    timezone: str = "UTC"

    # SLA engine
    sla_tick_seconds: float = Field(default=1.0, gt=0)
    sla_warning_fraction: float = Field(default=0.75, gt=0, lt=1)

    # telegram
    telegram_bot_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("TELEGRAM_BOT_TOKEN")
    )
    telegram_base_url: str | None = None
    telegram_ops_chat_id: int | None = None
    telegram_escalation_chat_id: int | None = None
    telegram_agents: IntList = Field(default_factory=list)
    telegram_managers: IntList = Field(default_factory=list)
    telegram_mode: Literal["polling", "webhook"] = "polling"
    telegram_webhook_url: str | None = None
    telegram_webhook_listen: str = "127.0.0.1"
    telegram_webhook_port: int = Field(default=8443, ge=1, le=65535)
    telegram_webhook_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("telegram_webhook_secret")
    )

    # X
    x_bearer_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("X_BEARER_TOKEN")
    )
    x_api_key: SecretStr | None = Field(default=None, validation_alias=AliasChoices("X_API_KEY"))
    x_api_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("X_API_SECRET")
    )
    x_access_token: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("X_ACCESS_TOKEN")
    )
    x_access_secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices("X_ACCESS_SECRET")
    )
    x_account_id: str | None = None
    x_base_url: str | None = None
    x_poll_interval_seconds: float = Field(default=60.0, gt=0)

    # dashboard
    dashboard_host: str = "127.0.0.1"
    dashboard_port: int = Field(default=8080, ge=0, le=65535)
    dashboard_token: SecretStr | None = Field(
        default=None, validation_alias=_env("dashboard_token")
    )
    # "name:role:pbkdf2_sha256$..." entries, comma-separated; `caretriage dashboard-user
    # NAME --role ROLE` prints one (roles: viewer, agent, manager, dpo)
    dashboard_users: SecretStr | None = Field(
        default=None, validation_alias=_env("dashboard_users")
    )
    # signs session cookies; set it when several workers serve the dashboard
    dashboard_secret: SecretStr | None = Field(
        default=None, validation_alias=_env("dashboard_secret")
    )

    # privacy: per-category retention overrides in days, applied over the sourced defaults
    # in storage/retention_policy.py (e.g. {"not_privacy": 14}); unknown categories refused
    retention_days: dict[str, Annotated[int, Field(ge=1)]] = Field(default_factory=dict)

    # logging
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"

    @field_validator("telegram_agents", "telegram_managers", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            try:
                return [int(p) for p in parts]
            except ValueError as exc:
                raise ValueError(
                    f"expected comma-separated integer user ids, got {value!r}"
                ) from exc
        return value

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # The environment wins over the config file (passed in as init values).
        return (env_settings, init_settings)

    def jurisdiction_for(self, account: str | None) -> str:
        if account is not None and account in self.account_jurisdictions:
            return self.account_jurisdictions[account]
        return self.default_jurisdiction

    def has_telegram(self) -> bool:
        return self.telegram_bot_token is not None

    def has_x(self) -> bool:
        return self.x_bearer_token is not None or (
            self.x_api_key is not None and self.x_access_token is not None
        )


def secret_field_names() -> frozenset[str]:
    return frozenset(
        name
        for name, info in Settings.model_fields.items()
        if info.annotation is not None and "SecretStr" in repr(info.annotation)
    )


def _env_names() -> dict[str, str]:
    """Every environment variable name a field accepts, mapped to the field name."""
    names: dict[str, str] = {}
    for name, info in Settings.model_fields.items():
        alias = info.validation_alias
        if isinstance(alias, AliasChoices):
            for choice in alias.choices:
                if isinstance(choice, str):
                    names[choice.upper()] = name
        else:
            names[f"{ENV_PREFIX}{name.upper()}"] = name
    return names


def _check_unknown_env(environ: dict[str, str]) -> None:
    known = _env_names()
    for key in sorted(environ):
        if (
            key.startswith(ENV_PREFIX)
            and key not in known
            and not key.startswith(f"{ENV_PREFIX}TEST_")
        ):
            raise SettingsError(f"unknown setting {key} in the environment")


def read_config_file(path: Path) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SettingsError(f"cannot read config file {path}: {exc.strerror or exc}") from exc
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SettingsError(f"config file {path} is not valid TOML: {exc}") from exc
    fields = Settings.model_fields
    secrets = secret_field_names()
    for key in data:
        if key not in fields:
            raise SettingsError(f"unknown setting {key!r} in config file {path}")
        if key in secrets:
            raise SettingsError(
                f"setting {key!r} is a secret and may only come from the environment, "
                f"not from config file {path}"
            )
    return data


def load_settings(
    config_path: Path | None = None, environ: dict[str, str] | None = None
) -> Settings:
    """Build the settings; raises SettingsError naming what is wrong."""
    env = dict(os.environ if environ is None else environ)
    _check_unknown_env(env)
    file_values = read_config_file(config_path) if config_path is not None else {}
    saved = dict(os.environ)
    try:
        if environ is not None:
            os.environ.clear()
            os.environ.update(env)
        return Settings(**file_values)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = ".".join(str(p) for p in err["loc"]) or "settings"
            problems.append(f"setting {loc}: {err['msg']}")
        raise SettingsError("invalid settings: " + "; ".join(problems)) from exc
    finally:
        if environ is not None:
            os.environ.clear()
            os.environ.update(saved)
