"""Fixtures: the gateway app on SQLite and on a real PostgreSQL (started here, or given by
``CERTMUTUAL_TEST_POSTGRES_URL``), sharing one demo PKI generated once per session."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from gateway import create_app
from gateway.state import GatewayState
from tests.gateway import pg_server

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def demo_pki() -> Iterator[Path]:
    """One generated demo PKI (demo.json and pki/) for every test."""
    from gateway.demo import ensure_demo_pki

    directory = Path(tempfile.mkdtemp(prefix="certmutual-demo-"))
    ensure_demo_pki(directory)
    yield directory
    shutil.rmtree(directory, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server URL: ``$CERTMUTUAL_TEST_POSTGRES_URL``, else one started for the session."""
    given = os.environ.get("CERTMUTUAL_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    directory = tempfile.mkdtemp(prefix="certmutual-pg-")
    try:
        url = pg_server.start(directory)
    except pg_server.PostgresUnavailable as exc:
        shutil.rmtree(directory, ignore_errors=True)
        pytest.skip(f"PostgreSQL could not be started, so the PostgreSQL storage tests did not run: {exc}")
    try:
        pg_server.wait_ready(url)
        yield url
    finally:
        pg_server.stop(directory)
        shutil.rmtree(directory, ignore_errors=True)


def fresh_database(server_url: str) -> str:
    import psycopg

    name = f"gw_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server_url, autocommit=True) as connection:
        connection.execute(f"CREATE DATABASE {name}")
    return server_url.rsplit("/", 1)[0] + "/" + name


def drop_database(url: str) -> None:
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(server + "/postgres", autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
        return
    url = fresh_database(request.getfixturevalue("postgres_server"))
    yield url
    drop_database(url)


@dataclass
class Gateway:
    app: Flask
    client: FlaskClient
    state_dir: Path
    api_key: str
    config: dict[str, Any]

    @property
    def state(self) -> GatewayState:
        value: GatewayState = self.app.extensions["certmutual"]
        return value

    def auth(self, key: str | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {key or self.api_key}"}

    def leaf_pem(self, vendor: int = 0) -> str:
        assert self.state.demo is not None
        return Path(self.state.demo.vendors[vendor].leaf).read_text()

    def post(self, path: str, body: dict[str, Any], key: str | None = None) -> Any:
        return self.client.post(path, json=body, headers=self.auth(key))


def make_gateway(demo_pki: Path, state_dir: Path, database: str, **settings: Any) -> Gateway:
    state_dir.mkdir(parents=True, exist_ok=True)
    shutil.copy(demo_pki / "demo.json", state_dir / "demo.json")
    config = {"state_dir": str(state_dir), "database": database, "auth_cache_seconds": 0, "TESTING": True, **settings}
    app = create_app(config)
    key = (state_dir / "demo-api-key").read_text().strip()
    return Gateway(app, app.test_client(), state_dir, key, config)


@pytest.fixture
def gateway(demo_pki: Path, tmp_path: Path, database: str) -> Iterator[Gateway]:
    made = make_gateway(demo_pki, tmp_path / "state", database)
    yield made
    made.state.storage.close()


@pytest.fixture
def sqlite_gateway(demo_pki: Path, tmp_path: Path) -> Iterator[Gateway]:
    made = make_gateway(demo_pki, tmp_path / "state", f"sqlite:///{tmp_path / 'gw.sqlite3'}")
    yield made
    made.state.storage.close()


def request_body(gateway: Gateway, vendor: int = 0, **extra: Any) -> dict[str, Any]:
    return {"certificate": gateway.leaf_pem(vendor), "purpose": "signing", **extra}


__all__ = ["Gateway", "json", "make_gateway", "request_body"]
