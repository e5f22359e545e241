"""The walls of the design (shared/design.md): imports only go down the layers.

crypto -> asn1 -> pki -> identity -> seals -> documents -> verifier -> cli / gateway. Nothing under
certmutual/ imports Flask or the gateway. Checked on the source, so a violation fails here before it
becomes a cycle somewhere else.
"""

import ast
from pathlib import Path

import pytest

from tests.shared_data import REPO_ROOT

PACKAGE = REPO_ROOT / "certmutual"

# A module may import certmutual modules of its own layer or of the layers listed for it.
ALLOWED: dict[str, set[str]] = {
    "errors": set(),
    "results": set(),
    "crypto": {"errors"},
    "asn1": {"errors", "crypto"},
    "pki": {"errors", "results", "crypto", "asn1"},
    "identity": {"errors", "results", "crypto", "asn1", "pki"},
    "demo": {"errors", "results", "crypto", "asn1", "pki"},
    "seals": {"errors", "results", "crypto", "asn1", "pki", "identity"},
    "documents": {"errors", "results", "crypto", "asn1", "pki", "identity", "seals"},
    "verifier": {"errors", "results", "crypto", "asn1", "pki", "identity", "seals", "documents"},
    "conformance": {"errors", "results", "crypto", "asn1", "pki", "identity", "seals"},
    "cli": {"errors", "results", "crypto", "asn1", "pki", "identity", "seals", "documents", "verifier", "demo", "conformance",
            "__init__"},
    "__init__": {"pki", "results", "verifier"},
}
FORBIDDEN_EVERYWHERE = ("flask", "gateway")


def layer_of(path: Path) -> str:
    relative = path.relative_to(PACKAGE)
    return relative.parts[0] if len(relative.parts) > 1 else relative.stem


def imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            if node.module == "certmutual":
                found += [f"certmutual.{alias.name}" for alias in node.names]
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(REPO_ROOT)))
def test_imports_only_go_down(path: Path) -> None:
    layer = layer_of(path)
    assert layer in ALLOWED, f"{path}: layer {layer!r} has no entry in the layering table"
    for module in imported_modules(path):
        top = module.split(".")[0]
        assert top not in FORBIDDEN_EVERYWHERE, f"{path} imports {module}"
        if top != "certmutual" or module == "certmutual":
            continue
        target = module.split(".")[1]
        if target in {"Policy", "Verifier", "VerificationResult", "Reason", "ReasonCode", "Status"}:
            target = "__init__"
        assert target == layer or target in ALLOWED[layer], f"{path} ({layer}) imports {module} ({target})"
