"""The configuration: defaults are complete, overrides merge, bad options are named."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from click.testing import CliRunner

from compiler.cli import main
from compiler.config import default_data, load_config
from compiler.config.check import check_config
from compiler.errors import ConfigError


def test_defaults_are_a_complete_valid_configuration(tmp_path: Path) -> None:
    assert check_config(default_data()) == []
    config = load_config(cwd=tmp_path)
    assert config.source is None
    assert config.release_name == "content"
    assert config.fields("product")["sku"] == "sku"
    assert config.governance.approved_values == ("approved",)


def test_cpc_toml_in_the_current_folder_overrides_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "cpc.toml").write_text(
        '[release]\nname = "nordlicht"\n'
        '[governance]\napproved_values = ["approved", "freigegeben"]\n'
        '[fields.product]\nsku = "artikelnummer"\n', encoding="utf-8")
    config = load_config(cwd=tmp_path)
    assert config.release_name == "nordlicht"
    assert config.data["release"]["dependants"] == "error"  # untouched default kept
    assert config.fields("product")["sku"] == "artikelnummer"
    assert config.fields("product")["name"] == "name"
    assert config.governance.approved_values == ("approved", "freigegeben")


def test_every_bad_option_is_named_with_expected_and_given(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[release]\nname = 5\ncolour = "red"\n[renditions.email]\nquality = 300\n'
                   '[limits]\nmax_entries = "many"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    message = caught.value.message
    assert "release.name: expected a string, got 5" in message
    assert "release.colour: unknown option" in message
    assert "renditions.email.quality: expected a value <= 100, got 300" in message
    assert 'limits.max_entries: expected an integer, got "many"' in message


def test_wrong_option_exits_2_through_the_cli(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[release]\ndependants = "ignore"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["config", "--show", "--config", str(bad)])
    assert result.exit_code == 2
    assert 'release.dependants: expected one of "error", "exclude", got "ignore"' in result.output


def test_not_toml_is_a_config_error(tmp_path: Path) -> None:
    bad = tmp_path / "cpc.toml"
    bad.write_text("[release\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["config", "--show", "--config", str(bad)])
    assert result.exit_code == 2
    assert "not valid TOML" in result.output


def test_config_show_round_trips_to_the_same_configuration(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["config", "--show"])
    assert result.exit_code == 0, result.output
    shown = tomllib.loads(result.output)
    assert shown == default_data()
    (tmp_path / "shown.toml").write_text(result.output, encoding="utf-8")
    assert load_config(tmp_path / "shown.toml").sha256 == load_config(cwd=tmp_path).sha256


def test_every_command_of_the_contract_is_listed_in_help() -> None:
    result = CliRunner().invoke(main, ["--help"])
    for command in ("snapshot", "validate", "build", "verify", "diff", "audit", "feedback",
                    "config", "keygen"):
        assert f"  {command}" in result.output


def test_stage_options_are_checked_when_the_configuration_loads(tmp_path: Path) -> None:
    bad = tmp_path / "cpc.toml"
    bad.write_text('[renditions]\nprofile = "missing-press.icc"\n'
                   '[renditions.email]\nquality = 50\nmin_quality = 70\n'
                   '[markup]\nvariable_syntax = "%s and %s"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(bad)
    message = caught.value.message
    assert "renditions.profile: expected a CMYK .icc file" in message
    assert "renditions.email.min_quality: expected at most quality (50), given 70" in message
    assert "markup.variable_syntax" in message
