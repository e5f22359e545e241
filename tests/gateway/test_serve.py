"""The Quick start, end to end: ``certmutual serve`` on the embedded defaults in an empty directory,
then the README's curl request (here urllib) gets an accepted verdict for the demo certificate."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.shared_data import REPO_ROOT


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_certmutual_serve_quick_start(tmp_path: Path) -> None:
    pytest.importorskip("gunicorn")
    port = _free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CERTMUTUAL_") or key == "CERTMUTUAL_SHARED"}
    env["PYTHONPATH"] = str(REPO_ROOT)
    server = subprocess.Popen([sys.executable, "-m", "certmutual.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2",
                               "--threads", "2"], cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/readyz", timeout=2) as response:
                    assert json.load(response)["status"] == "ready"
                    break
            except OSError:  # URLError, refused, or a read timeout while the workers boot
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "certmutual serve did not come up"
                time.sleep(0.3)
        state = tmp_path / ".certmutual-demo"
        key = (state / "demo-api-key").read_text().strip()
        assert oct((state / "demo-api-key").stat().st_mode & 0o777) == "0o600"
        request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/certificates/verify",
                                         data=(state / "verify-request.json").read_bytes(), method="POST",
                                         headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            verdict = json.load(response)
        assert verdict["accepted"] is True and verdict["vendor"]["id"] == "demo-sm2"
        assert verdict["identity"]["entity_key"] == "org:708461136" and verdict["trust_list_sequence"] == 1
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            output = server.communicate(timeout=30)[0].decode(errors="replace")
        except subprocess.TimeoutExpired:
            server.kill()
            output = server.communicate()[0].decode(errors="replace")
    assert "curl -s" in output and "Traceback" not in output
    assert key not in output  # the key is in the 0600 file, never printed
    # The README's Quick start shows the curl serve prints (on its default address), after exactly
    # two commands: one runs the gateway, one the tests.
    printed = next(line.strip() for line in output.splitlines() if line.strip().startswith("curl -s"))
    quick_start = (REPO_ROOT / "README.md").read_text(encoding="utf-8").split("## Quick start", 1)[1].split("\n## ", 1)[0]
    assert printed.replace(f"127.0.0.1:{port}", "127.0.0.1:8000") in quick_start
    commands = [line for line in quick_start.split("```sh", 1)[1].split("```", 1)[0].splitlines() if line.strip()]
    assert len(commands) == 2 and "certmutual serve" in commands[0] and "pytest" in commands[1]


def test_serve_refuses_a_bad_configuration_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "gateway.toml"
    config.write_text("demo = false\n")
    run = subprocess.run([sys.executable, "-m", "certmutual.cli", "serve", "--config", str(config)], cwd=tmp_path,
                         env={**os.environ, "PYTHONPATH": str(REPO_ROOT)}, capture_output=True, text=True, timeout=60)
    assert run.returncode == 2
    assert "trust_list: required when demo is off" in run.stderr and "Traceback" not in run.stderr
