"""Fixtures shared by the CLI tests."""

import pytest

from certmutual.demo import DemoPKI, build_demo_pki


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoPKI:
    """The demo SM2 hierarchy the README's quick start verifies."""
    return build_demo_pki(str(tmp_path_factory.mktemp("demo")))
