"""Where the shared, read-only test data lives (``CERTMUTUAL_SHARED``, default ``../shared``)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("CERTMUTUAL_SHARED", REPO_ROOT.parent / "shared")).resolve()


def shared_path(*parts: str) -> Path:
    """The path under the shared folder, or a pytest skip when it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared test data not present: {path} (set CERTMUTUAL_SHARED)")
    return path


def requires_shared(*parts: str) -> pytest.MarkDecorator:
    """A mark that skips a test (or, as ``pytestmark``, a module) when the shared path is absent."""
    path = SHARED.joinpath(*parts)
    return pytest.mark.skipif(not path.exists(), reason=f"shared test data not present: {path} (set CERTMUTUAL_SHARED)")
