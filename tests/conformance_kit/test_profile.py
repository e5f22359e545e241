"""The profile as data: the document is generated from the rules, a province changes them as data, and
a broken profile is refused with the file and the place."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from certmutual.conformance import Severity, default_profile_directory, load_profile, run
from certmutual.conformance.profile_doc import main as profile_doc
from certmutual.conformance.registry import check
from certmutual.errors import ConfigurationError
from tests.conformance_kit.kit_factory import DEFECTS, conforming_files, kit


def test_the_document_is_what_the_rules_give() -> None:
    assert profile_doc(["--check"]) == 0, "specs/profile/README.md drifted: run python -m certmutual.conformance.profile_doc"


def copy_profile(tmp_path: Path) -> Path:
    directory = tmp_path / "profile"
    shutil.copytree(default_profile_directory(), directory)
    return directory


def test_a_province_changes_severities_and_caps_as_data(tmp_path: Path) -> None:
    directory = copy_profile(tmp_path)
    rules = directory / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    text = text.replace('id = "profile.aia_ocsp"\nseverity = "error"', 'id = "profile.aia_ocsp"\nseverity = "warning"')
    text = text.replace("max_end_entity_days = 1830", "max_end_entity_days = 300")
    rules.write_text(text, encoding="utf-8")
    sample = tmp_path / "sample"
    sample.mkdir()
    files = conforming_files()
    files.update(DEFECTS["profile.aia_ocsp"](kit()))
    for name, data in files.items():
        (sample / name).write_bytes(data)
    report = run([str(sample)], load_profile(directory))
    severities = {(f.check_id, f.severity) for f in report.findings}
    assert ("profile.aia_ocsp", Severity.WARNING) in severities
    assert ("profile.validity_cap", Severity.ERROR) in severities  # the kit's leaves live 395 days


@pytest.mark.parametrize(("old", "new", "message"), [
    ('severity = "notice"', 'severity = "minor"', "unknown severity"),
    ('id = "rfc5280.crl_aki"', 'id = "rfc5280.crl_akid"', "not a check this kit has"),
    ('applies_to = ["crl"]\neffective = 2008-05-01\ndescription = "The CRL has an authorityKeyIdentifier',
     'applies_to = ["seal"]\neffective = 2008-05-01\ndescription = "The CRL has an authorityKeyIdentifier', "cannot judge seal"),
    ("min_rsa_bits = 2048", 'min_rsa_bits = "2048"', "min_rsa_bits"),
    ("effective = 2013-06-01", 'effective = "2013"', "effective must be a TOML date"),
])
def test_a_broken_profile_is_refused_with_the_place(tmp_path: Path, old: str, new: str, message: str) -> None:
    directory = copy_profile(tmp_path)
    rules = directory / "rules.toml"
    text = rules.read_text(encoding="utf-8")
    assert old in text
    rules.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ConfigurationError, match=message) as refused:
        load_profile(directory)
    assert "rules.toml" in str(refused.value)


def test_the_registry_refuses_bad_and_duplicate_ids() -> None:
    with pytest.raises(ValueError, match="not <source>"):
        check("Bad Id")
    with pytest.raises(ValueError, match="twice"):
        check("rfc5280.crl_aki", *[])
