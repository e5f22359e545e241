"""Vendor profiles are data checked at load: every shipped profile loads; a broken one is refused
with its file name and the offending place."""

from __future__ import annotations

from pathlib import Path

import pytest

from certmutual.errors import ConfigurationError
from certmutual.identity.profiles import default_vendors_directory, load_profile, load_profiles

REQUIRED_VENDORS = {"cfca", "bjca", "sheca", "gdca", "netca", "fjca", "tax", "cegn", "jsgxca", "ynca", "csca", "legacy-arc", "gmt0015"}
VALID = '''id = "acme"
name = "Acme CA"
sources = ["a test"]
extends = "gmt0015"

[match.issuer]
CN = ["^Acme"]

[[rules]]
from = "extension"
oid = "1.2.3.4"
field = "code"
'''


def test_every_shipped_profile_loads_and_cites_its_sources() -> None:
    profiles = load_profiles(default_vendors_directory())
    ids = {profile.id for profile in profiles.profiles}
    assert REQUIRED_VENDORS <= ids
    assert profiles.fallback is not None and profiles.fallback.id == "gmt0015"
    for profile in profiles.profiles:
        assert profile.sources and all(source.strip() for source in profile.sources)
        assert profile.notes.strip() or profile.fallback, f"{profile.id}: say where the convention comes from and its quirks"


def write_profile(tmp_path: Path, text: str, directory: str = "acme") -> Path:
    path = tmp_path / directory / "profile.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_valid_profile_loads(tmp_path: Path) -> None:
    profile = load_profile(write_profile(tmp_path, VALID))
    assert profile.id == "acme" and profile.rules[0].label == "acme#1"


@pytest.mark.parametrize("text, message", [
    ("id = \"acme\"\nname = \"Acme\"\n", "'match' is a required property"),
    (VALID.replace('field = "code"', 'field = "uscc"'), "rules/0/field"),
    (VALID.replace('field = "code"', 'field = "code"\npattern = "x"'), "rules/0"),
    (VALID.replace('oid = "1.2.3.4"', 'oid = "one.two"'), "rules/0/oid"),
    (VALID.replace('from = "extension"', 'from = "subject"'), "rules/0"),
    (VALID + "\nunknown_key = 1\n", "Additional properties"),
    (VALID.replace('field = "code"', 'pattern = "(?P<uscc>.*)"'), "named groups ['uscc'] are not identity fields"),
    (VALID.replace('field = "code"', 'pattern = "(unclosed"'), "bad regular expression"),
    (VALID.replace('field = "code"', 'pattern = "^x$"'), "must set a kind"),
    (VALID.replace('CN = ["^Acme"]', 'Nickname = ["^Acme"]'), "unknown subject attribute 'Nickname'"),
    (VALID.replace('id = "acme"', 'id = "other"'), "differs from its directory name"),
    ("id = [", "not a readable TOML file"),
])
def test_a_broken_profile_is_refused_with_a_clear_message(tmp_path: Path, text: str, message: str) -> None:
    path = write_profile(tmp_path, text)
    with pytest.raises(ConfigurationError) as raised:
        load_profile(path)
    assert str(path) in str(raised.value) and message in str(raised.value)


def test_extends_must_name_a_loaded_profile(tmp_path: Path) -> None:
    write_profile(tmp_path, VALID)
    with pytest.raises(ConfigurationError, match="extends unknown profile 'gmt0015'"):
        load_profiles(tmp_path)


def test_extends_cycles_and_two_fallbacks_are_refused(tmp_path: Path) -> None:
    write_profile(tmp_path, VALID.replace('extends = "gmt0015"', 'extends = "beta"'), "acme")
    write_profile(tmp_path, VALID.replace('id = "acme"', 'id = "beta"').replace('extends = "gmt0015"', 'extends = "acme"'), "beta")
    with pytest.raises(ConfigurationError, match="cycle"):
        load_profiles(tmp_path)
    fallback = 'id = "{0}"\nname = "x"\nsources = ["t"]\n[match]\nfallback = true\n'
    other = tmp_path / "two"
    write_profile(other, fallback.format("one"), "one")
    write_profile(other, fallback.format("two"), "two")
    with pytest.raises(ConfigurationError, match="more than one fallback"):
        load_profiles(other)


def test_a_missing_directory_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="not found"):
        load_profiles(tmp_path / "nowhere")
