"""Configuration: defaults, TOML file, environment, create_app mapping; refused with clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway import create_app
from gateway.config import ConfigError, load_config


def test_defaults_then_file_then_environment_then_mapping(tmp_path: Path) -> None:
    config_file = tmp_path / "gateway.toml"
    config_file.write_text('state_dir = "state"\nrate_limit_per_second = 10\nchallenge_ttl_seconds = 30\n')
    defaults = load_config({}, environ={})
    assert defaults.demo and defaults.database_url.endswith(".certmutual-demo/gateway.sqlite3")
    loaded = load_config({}, environ={"CERTMUTUAL_GATEWAY_CONFIG": str(config_file), "CERTMUTUAL_CHALLENGE_TTL_SECONDS": "45",
                                      "CERTMUTUAL_REQUIRE_REQUEST_SIGNING": "true", "CERTMUTUAL_SHARED": "ignored"})
    assert loaded.state_dir == str(tmp_path / "state")  # relative to the file
    assert loaded.rate_limit_per_second == 10.0 and loaded.challenge_ttl_seconds == 45 and loaded.require_request_signing
    mapped = load_config({"config_file": str(config_file), "challenge_ttl_seconds": 5}, environ={})
    assert mapped.challenge_ttl_seconds == 5


@pytest.mark.parametrize("overrides, environ, message", [
    ({"bogus": 1}, {}, "unknown setting 'bogus'"),
    ({"challenge_ttl_seconds": "soon"}, {}, "challenge_ttl_seconds (create_app mapping): expected int"),
    ({}, {"CERTMUTUAL_MAX_BODY_BYTES": "lots"}, "max_body_bytes (environment CERTMUTUAL_MAX_BODY_BYTES): expected int"),
    ({}, {"CERTMUTUAL_DEMO": "maybe"}, "expected true or false"),
    ({"database": "mysql://x"}, {}, "database: expected sqlite"),
    ({"demo": False}, {}, "trust_list: required when demo is off"),
    ({"demo": False, "trust_list": "/nonexistent.json", "trust_list_authority": ["/a.pem"]}, {}, "/nonexistent.json: no such file"),
    ({"max_body_bytes": 0}, {}, "max_body_bytes: must be positive"),
    ({"sqlite_synchronous": "SOMETIMES"}, {}, "sqlite_synchronous"),
])
def test_bad_configuration_is_refused_with_the_setting_named(overrides: dict[str, object], environ: dict[str, str],
                                                             message: str) -> None:
    with pytest.raises(ConfigError, match=None) as caught:
        load_config(overrides, environ=environ)
    assert message in str(caught.value)


def test_bad_toml_and_unknown_file_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text("state_dir = \n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config({"config_file": str(bad)}, environ={})
    unknown = tmp_path / "unknown.toml"
    unknown.write_text('colour = "blue"\n')
    with pytest.raises(ConfigError, match="unknown setting 'colour'"):
        load_config({"config_file": str(unknown)}, environ={})


def test_production_configuration_with_a_given_trust_list(tmp_path: Path, demo_pki: Path) -> None:
    import json

    manifest = json.loads((demo_pki / "demo.json").read_text())
    app = create_app({"demo": False, "trust_list": manifest["trust_list"], "trust_list_authority": [manifest["authority"]],
                      "state_dir": str(tmp_path), "database": f"sqlite:///{tmp_path / 'prod.sqlite3'}"})
    assert app.extensions["certmutual"].demo is None
    assert not (tmp_path / "demo-api-key").exists()
    assert app.test_client().get("/v1/demo").status_code == 404


def test_a_trust_list_signed_by_someone_else_stops_the_start(tmp_path: Path, demo_pki: Path) -> None:
    import json

    manifest = json.loads((demo_pki / "demo.json").read_text())
    with pytest.raises(ConfigError, match="trust list"):
        create_app({"demo": False, "trust_list": manifest["trust_list"], "trust_list_authority": [manifest["vendors"][0]["root"]],
                    "state_dir": str(tmp_path), "database": f"sqlite:///{tmp_path / 'x.sqlite3'}"})


def test_unreachable_postgres_is_a_configuration_error(tmp_path: Path, demo_pki: Path) -> None:
    import shutil

    shutil.copy(demo_pki / "demo.json", tmp_path / "demo.json")
    with pytest.raises(ConfigError, match="database"):
        create_app({"state_dir": str(tmp_path), "database": "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"})
