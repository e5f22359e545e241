"""The kit's command line and reports: exit codes, JSON, JUnit (read by junitparser), HTML (rendered in
headless Chromium, with a screenshot and no console message)."""

from __future__ import annotations

import csv
import io
import json
import shutil
import subprocess
from pathlib import Path

import junitparser
import pytest

from certmutual.conformance import Report, Severity, load_profile, run
from certmutual.conformance.reports import Format, render
from certmutual.cli import main
from tests.cli.runner import CliRun
from tests.conformance_kit.kit_factory import DEFECTS, Files, conforming_files, kit


def run_cli(capsys: pytest.CaptureFixture[str], *argv: object) -> CliRun:
    """``certmutual *argv`` in-process. The kit's exit code is a count, so the 0/1/2 contract of
    tests.cli.runner does not apply; no traceback may escape."""
    capsys.readouterr()
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return CliRun(code, out, err, False)


def write(files: Files, directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    return directory


@pytest.fixture(scope="module")
def defective(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The conforming sample plus several defects (certificate, CRL, seal) and an unreadable file."""
    files = conforming_files()
    for check_id in ("profile.aia_ocsp", "rfc5280.crl_next_update", "profile.picture_size", "input.readable"):
        files.update(DEFECTS[check_id](kit()))
    files["hostile<img src=x onerror=alert(1)>.pem"] = b"-----BEGIN CERTIFICATE-----\n<b>x</b>\n-----END CERTIFICATE-----\n"
    return write(files, tmp_path_factory.mktemp("defective"))


@pytest.fixture(scope="module")
def defective_report(defective: Path) -> Report:
    return run([str(defective)], load_profile())


def test_cli_exit_code_is_the_number_of_errors_and_fatals(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                          defective: Path, defective_report: Report) -> None:
    good = write(conforming_files(), tmp_path / "good")
    result = run_cli(capsys, "conformance", "run", good)
    assert result.code == 0 and "CONFORMS" in result.out
    result = run_cli(capsys, "conformance", "run", defective, "--format", "json")
    assert result.code == defective_report.failures == 6  # 4 findings of 3 defects (width and height) + 2 unreadable files
    payload = result.json()
    assert payload["failures"] == 6 and payload["summary"]["fatal"] == 2
    assert {f["check"] for f in payload["findings"]} == {
        "profile.aia_ocsp", "rfc5280.crl_next_update", "profile.picture_size", "input.readable"}
    assert all(f["citation"] for f in payload["findings"])
    result = run_cli(capsys, "conformance", "run", tmp_path / "missing")
    assert result.code == 2 and result.err.count("\n") == 1
    result = run_cli(capsys, "conformance", "run", good, "--profile", tmp_path / "no-profile")
    assert result.code == 2


def test_exit_code_is_capped_at_100(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    for index in range(101):
        (tmp_path / f"junk{index}.bin").write_bytes(b"junk")
    assert run_cli(capsys, "conformance", "run", tmp_path).code == 100


def test_list_checks(capsys: pytest.CaptureFixture[str]) -> None:
    profile = load_profile()
    rows = list(csv.DictReader(io.StringIO(run_cli(capsys, "conformance", "list-checks").out)))
    assert [row["id"] for row in rows] == [rule.id for rule in profile.rules]
    listed = json.loads(run_cli(capsys, "conformance", "list-checks", "--format", "json").out)
    assert {item["severity"] for item in listed} == {"fatal", "error", "warning", "notice"}
    assert all(item["citation"] and item["applies_to"] and item["effective"] for item in listed)


def test_junit_loads_in_a_junit_parser(defective_report: Report, tmp_path: Path) -> None:
    path = tmp_path / "report.xml"
    path.write_text(render(defective_report, Format.JUNIT), encoding="utf-8")
    xml = junitparser.JUnitXml.fromfile(str(path))
    cases = [(suite.name, case.name, case) for suite in xml for case in suite]
    assert len(cases) == len(defective_report.results)
    failed = {(name, case_name) for name, case_name, case in cases
              if any(isinstance(r, junitparser.Failure) for r in case.result)}
    expected = {(f.input, f.check_id) for f in defective_report.findings if f.severity >= Severity.ERROR}
    assert failed == expected
    skipped = sum(1 for _, _, case in cases if any(isinstance(r, junitparser.Skipped) for r in case.result))
    assert skipped > 0


def test_text_report_names_check_and_citation(defective_report: Report) -> None:
    text = render(defective_report, Format.TEXT)
    assert "profile.aia_ocsp" in text and "RFC 5280 §4.2.2.1" in text and "DOES NOT CONFORM" in text


def test_html_is_self_contained_and_escaped(defective_report: Report) -> None:
    page = render(defective_report, Format.HTML)
    assert "<script" not in page and "<img src=x" not in page and "hostile&lt;img src=x" in page
    assert "http://" not in page.replace("http://kit.example.invalid", "") and "https://" not in page
    assert "data:image/png;base64," in page  # the seal picture
    assert 'class="chain leaf"' in page  # a chain drawn
    for finding in defective_report.findings:
        assert finding.check_id in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _render_in_chromium(html: Path, screenshot: Path, profile_dir: Path) -> str:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile_dir}", "--enable-logging=stderr", "--v=0", f"--screenshot={screenshot}",
               "--window-size=1280,2000", html.as_uri()]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    return done.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; .ci/run does)")
def test_html_renders_in_headless_chromium_without_console_messages(defective_report: Report, tmp_path: Path) -> None:
    # The detector works: a page with a script error is caught.
    probe = tmp_path / "probe.html"
    probe.write_text("<html><body><script>console.error('probe'); missing();</script></body></html>", encoding="utf-8")
    stderr = _render_in_chromium(probe, tmp_path / "probe.png", tmp_path / "chromium-probe")
    assert ":CONSOLE" in stderr
    report = tmp_path / "report.html"
    report.write_text(render(defective_report, Format.HTML), encoding="utf-8")
    screenshot = tmp_path / "report.png"
    stderr = _render_in_chromium(report, screenshot, tmp_path / "chromium")
    assert screenshot.exists() and screenshot.stat().st_size > 10_000
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    console = [line for line in stderr.splitlines() if ":CONSOLE" in line]
    assert console == []
