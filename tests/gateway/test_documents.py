"""POST /v1/documents/verify end to end: an OFD signed with the demo vendor's key is accepted by the
gateway's trust list, one signed under a CA the list does not know is a well-formed rejection, a
tampered or hostile package (zip bomb, not a zip) is a decided verdict with a reason code (never a
5xx), and a PDF goes to certmutual.documents.verify_pdf (501 only while this build lacks it)."""

from __future__ import annotations

import datetime
import logging
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from certmutual import documents
from certmutual.pki.builder import KeyKind, SigningKey
from certmutual.pki.certificate import Certificate
from certmutual.pki.keyfile import load_signing_key
from certmutual.pki.loading import load_certificates
from gateway.audit import verify_chain
from tests.documents.ofd_factory import SignatureSpec, signed_ofd, zip_package
from tests.documents.pdf_factory import bogus_metadata_update, object_stream_bomb
from tests.gateway.conftest import Gateway
from tests.pki_factory import make_chain
from tests.shared_data import shared_path

DOCUMENTS = "/v1/documents/verify"
MiB = 1024 * 1024


@dataclass
class DemoSigner:
    """The demo SM2 vendor's leaf and key, in the shape tests.documents.ofd_factory signs with."""

    kind: KeyKind
    leaf: Certificate
    leaf_key: SigningKey


def demo_signer(gateway: Gateway) -> DemoSigner:
    assert gateway.state.demo is not None
    vendor = gateway.state.demo.vendors[0]
    (leaf,) = load_certificates(vendor.leaf)
    return DemoSigner(KeyKind.SM2, leaf, load_signing_key(Path(vendor.leaf_key).read_bytes()))


def upload(gateway: Gateway, data: bytes, content_type: str = "application/ofd", query: str = "") -> Any:
    return gateway.client.post(DOCUMENTS + query, data=data, content_type=content_type, headers=gateway.auth())


def reason_codes(verdict: dict[str, Any]) -> set[str]:
    return {reason["code"] for reason in verdict["reasons"]}


def test_an_ofd_signed_by_a_recognised_vendor_is_accepted_and_audited(gateway: Gateway) -> None:
    # The factory's CMS carries a signingTime of 2025-06-01 (a claim); the certificate is judged now.
    package = signed_ofd(demo_signer(gateway), SignatureSpec(kind="cms", pages=(0, 1)), pages=2).build()  # type: ignore[arg-type]
    response = upload(gateway, package)
    assert response.status_code == 200, response.get_json()
    verdict = response.get_json()
    assert verdict["format"] == "ofd" and verdict["accepted"] is True and verdict["status"] == "valid", verdict["reasons"]
    (signature,) = verdict["signatures"]
    assert signature["accepted"] and signature["intact"] and signature["type"] == "Sign"
    assert signature["identity"]["entity_key"] == "org:708461136"
    assert verdict["trust_list_sequence"] == 1 and verdict["audit"]["seq"] == 1 and verdict["request_id"]
    (row,) = gateway.state.storage.audit_rows()
    assert row.endpoint == "documents/verify" and row.verdict == "valid" and row.reasons == "ok"
    assert '"entity":"org:70*****36"' in row.subject and "708461136" not in row.subject
    assert verify_chain(gateway.state.storage).ok
    # application/zip is an OFD package too.
    assert upload(gateway, package, "application/zip").get_json()["accepted"] is True


def test_a_tampered_page_and_an_unknown_ca_are_rejected_with_reasons(sqlite_gateway: Gateway) -> None:
    builder = signed_ofd(demo_signer(sqlite_gateway))  # type: ignore[arg-type]
    page = "Doc_0/Pages/Page_1/Content.xml"
    tampered = builder.build(replace={page: builder.files[page].replace(b"page 2", b"page 9")})
    verdict = upload(sqlite_gateway, tampered).get_json()
    assert verdict["accepted"] is False and verdict["status"] == "invalid" and reason_codes(verdict) == {"digest_mismatch"}
    # Signed under the test PKI's CA, which the demo trust list does not recognise: intact, not trusted.
    stranger = signed_ofd(make_chain(KeyKind.SM2)).build()
    verdict = upload(sqlite_gateway, stranger).get_json()
    assert verdict["accepted"] is False and verdict["reasons"] and verdict["signatures"][0]["intact"] is True
    assert "ok" not in reason_codes(verdict)
    assert sqlite_gateway.state.storage.audit_count() == 2


def test_the_validation_time_is_a_query_parameter(sqlite_gateway: Gateway) -> None:
    package = signed_ofd(demo_signer(sqlite_gateway)).build()  # type: ignore[arg-type]
    later = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(days=3 * 365)).strftime("%Y-%m-%dT%H:%M:%SZ")
    verdict = upload(sqlite_gateway, package, query=f"?time={later}").get_json()
    assert verdict["accepted"] is False and "expired" in reason_codes(verdict)
    bad = upload(sqlite_gateway, package, query="?time=yesterday")
    assert bad.status_code == 400 and bad.get_json()["code"] == "bad_field"


def test_hostile_uploads_are_refused_with_a_reason_code(gateway: Gateway) -> None:
    files = dict(signed_ofd(demo_signer(gateway)).files)  # type: ignore[arg-type]
    files["Doc_0/Res/bomb.bin"] = bytes(64 * MiB)  # 64 MiB of zeros deflated into ~64 KiB
    bomb = zip_package(files)
    assert len(bomb) < MiB
    response = upload(gateway, bomb)
    assert response.status_code == 200
    verdict = response.get_json()
    assert verdict["accepted"] is False and reason_codes(verdict) == {"container_refused"}
    assert "zip bomb" in verdict["reasons"][0]["message"]
    for junk in (b"PK\x03\x04" + bytes(200), zlib.compress(bytes(MiB)), b""):
        response = upload(gateway, junk)
        assert response.status_code == 200, response.get_json()
        verdict = response.get_json()
        assert verdict["accepted"] is False and reason_codes(verdict) & {"malformed", "container_refused"}
    assert gateway.state.storage.audit_count() == 4 and verify_chain(gateway.state.storage).ok


def test_a_pdf_decompression_bomb_is_refused_with_a_reason_code(sqlite_gateway: Gateway) -> None:
    """A 1 MB PDF whose catalogue sits in an object stream inflating to 1 GiB: a decided,
    audited refusal, not a worker grown by a gigabyte."""
    bomb = object_stream_bomb(1024 * MiB)
    assert len(bomb) < 2 * MiB
    response = upload(sqlite_gateway, bomb, "application/pdf")
    assert response.status_code == 200, response.get_json()
    verdict = response.get_json()
    assert verdict["accepted"] is False and reason_codes(verdict) == {"container_refused"}
    assert sqlite_gateway.state.storage.audit_count() == 1


def test_upload_limits_and_content_types(sqlite_gateway: Gateway, demo_pki: Path, tmp_path: Path) -> None:
    from tests.gateway.conftest import make_gateway

    small = make_gateway(demo_pki, tmp_path / "small", f"sqlite:///{tmp_path / 'small.sqlite3'}", max_document_bytes=1024)
    response = upload(small, bytes(4096))
    assert response.status_code == 413 and response.get_json()["code"] == "body_too_large"
    small.state.storage.close()
    response = sqlite_gateway.client.post(DOCUMENTS, data=b"x", content_type="text/html", headers=sqlite_gateway.auth())
    assert response.status_code == 415 and response.get_json()["code"] == "unsupported_media_type"
    assert sqlite_gateway.client.post(DOCUMENTS, data=b"%PDF", content_type="application/pdf").status_code == 401
    assert sqlite_gateway.state.storage.audit_count() == 0


def test_pdf_findings_are_reasons_not_library_log_lines(sqlite_gateway: Gateway, caplog: pytest.LogCaptureFixture) -> None:
    """pyHanko logs a disallowed incremental update as a warning with a traceback; through the
    gateway it is a reason in the verdict and nothing of pyHanko's reaches the log."""
    data = shared_path("corpus", "pdf", "pyhanko__minimal-two-fields-signed-twice.pdf").read_bytes()
    with caplog.at_level(logging.DEBUG):
        response = upload(sqlite_gateway, bogus_metadata_update(data), "application/pdf", "?time=2020-11-01T00:00:00Z")
    assert response.status_code == 200
    assert "disallowed_change" in reason_codes(response.get_json())
    assert [record.name for record in caplog.records if record.name.startswith("pyhanko")] == []


def test_pdf_goes_to_verify_pdf_or_is_501_while_the_build_lacks_it(sqlite_gateway: Gateway) -> None:
    response = upload(sqlite_gateway, b"%PDF-1.7\n%%EOF\n", "application/pdf")
    if getattr(documents, "verify_pdf", None) is None:
        assert response.status_code == 501 and response.get_json()["code"] == "not_implemented"
        assert sqlite_gateway.state.storage.audit_count() == 0
        return
    assert response.status_code == 200
    verdict = response.get_json()
    assert verdict["format"] == "pdf" and verdict["accepted"] is False and reason_codes(verdict) & {"malformed", "not_signed"}
    assert sqlite_gateway.state.storage.audit_count() == 1
