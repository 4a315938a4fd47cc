from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings


def test_defaults_use_a_sqlite_file_in_the_working_directory() -> None:
    settings = load_settings(environ={})
    assert settings.database_url == "sqlite+aiosqlite:///./caretriage.db"
    assert settings.telegram_agents == []
    assert not settings.has_telegram()


def test_environment_overrides_config_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('default_jurisdiction = "BR"\nreview_threshold = 0.4\n')
    settings = load_settings(config, environ={"CARETRIAGE_REVIEW_THRESHOLD": "0.7"})
    assert settings.default_jurisdiction == "BR"
    assert settings.review_threshold == 0.7


def test_database_url_accepts_plain_database_url_variable() -> None:
    settings = load_settings(environ={"DATABASE_URL": "sqlite+aiosqlite:///x.db"})
    assert settings.database_url == "sqlite+aiosqlite:///x.db"


def test_comma_separated_user_ids() -> None:
    settings = load_settings(
        environ={"CARETRIAGE_TELEGRAM_AGENTS": "11, 22,33", "CARETRIAGE_TELEGRAM_MANAGERS": "9"}
    )
    assert settings.telegram_agents == [11, 22, 33]
    assert settings.telegram_managers == [9]


def test_bad_user_ids_name_the_setting() -> None:
    with pytest.raises(SettingsError, match="telegram_agents"):
        load_settings(environ={"CARETRIAGE_TELEGRAM_AGENTS": "alice,bob"})


def test_out_of_range_value_names_the_setting() -> None:
    with pytest.raises(SettingsError, match="review_threshold"):
        load_settings(environ={"CARETRIAGE_REVIEW_THRESHOLD": "1.5"})


def test_unknown_environment_setting_is_refused() -> None:
    with pytest.raises(SettingsError, match="CARETRIAGE_NOPE"):
        load_settings(environ={"CARETRIAGE_NOPE": "1"})


def test_unknown_config_key_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("colour = 'blue'\n")
    with pytest.raises(SettingsError, match="unknown setting 'colour'"):
        load_settings(config, environ={})


def test_secret_in_config_file_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("dashboard_token = 'hunter2'\n")
    with pytest.raises(SettingsError, match="only come from the environment") as info:
        load_settings(config, environ={})
    assert "hunter2" not in str(info.value)


def test_malformed_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("x = [\n")
    with pytest.raises(SettingsError, match="not valid TOML"):
        load_settings(bad, environ={})
    with pytest.raises(SettingsError, match="cannot read config file"):
        load_settings(tmp_path / "missing.toml", environ={})


def test_account_jurisdictions_from_config_file(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text('[account_jurisdictions]\n"movil-br" = "BR"\n')
    settings = load_settings(config, environ={})
    assert settings.jurisdiction_for("movil-br") == "BR"
    assert settings.jurisdiction_for("other") == "EU"
    assert settings.jurisdiction_for(None) == "EU"
