"""A local CA service for revocation tests: CRLs and OCSP over real HTTP, with faults on demand.

A ``ThreadingHTTPServer`` on 127.0.0.1 (a free port) in a background thread, serving a test PKI
(root -> intermediate -> leaf, built with :mod:`certmutual.pki.builder`) whose certificates point at
the service itself::

    /crl/<ca>.crl            GET: a fresh CRL issued by <ca> ("root" or "intermediate")
    /ocsp/<ca>               POST application/ocsp-request: a response signed by <ca>
    /ocsp/<ca>/<base64>      GET (RFC 6960 Appendix A.1): the same
    /mirror/<any of those>   the same again, under another path (a redirect target without the fault)

The leaf's cRLDistributionPoints and AIA name ``/crl/intermediate.crl`` and ``/ocsp/intermediate``;
the intermediate's name the root's. Use it as a context manager, or through the ``ca_service``
fixture (import it into a test module)::

    def test_something(ca_service: CAService) -> None:
        ca_service.inject(ca_service.crl_url("intermediate"), Fault.DELAY, seconds=3)
        ...
        assert ca_service.hits_for(ca_service.crl_url("intermediate")) == 1

Faults are per path, switchable at any time (:meth:`CAService.inject`, :meth:`CAService.clear`);
each request is counted per path in :attr:`CAService.hits` (OCSP GETs under ``/ocsp/<ca>``).
The service issues everything at :attr:`CAService.now` (default :data:`REF_TIME`), which tests may move.
"""

from __future__ import annotations

import base64
import collections
import datetime
import enum
import ipaddress
import socket
import ssl
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest
from asn1crypto import ocsp as asn1_ocsp
from cryptography import x509 as cx509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from certmutual.pki import ocsp
from certmutual.pki.builder import KeyKind, SigningKey, issue_certificate, issue_crl, issue_ocsp_response
from certmutual.pki.certificate import Certificate
from tests.pki_factory import DAY, HOUR, REF_TIME, YEAR, ca_name, get_key, leaf_name


class Fault(enum.Enum):
    """What a path does instead of answering properly."""

    NONE = "none"
    DELAY = "delay"
    """Wait ``seconds`` before answering at all."""
    TRICKLE = "trickle"
    """Send the headers, then the (good) body one byte every ``seconds``."""
    HTTP_500 = "http_500"
    GARBAGE = "garbage"
    """200 with a body that is not DER."""
    OVERSIZED = "oversized"
    """200 with ``size`` bytes and an honest Content-Length."""
    OVERSIZED_UNANNOUNCED = "oversized_unannounced"
    """200 with ``size`` bytes, no Content-Length (the body ends when the connection closes)."""
    STALE = "stale"
    """A CRL / OCSP response whose nextUpdate is a day before :attr:`CAService.now`."""
    WRONG_KEY = "wrong_key"
    """A CRL / OCSP response signed with a key that is not the CA's."""
    REDIRECT_LOOP = "redirect_loop"
    """A redirect (``status``, default 307) to the same path, forever."""
    REDIRECT = "redirect"
    """A redirect (``status``, default 302) to ``target`` (another path, file:///etc/passwd, the https form...)."""
    CLOSE_MID_BODY = "close_mid_body"
    """Content-Length of the whole body, half of it sent, then the connection closed."""
    NO_NEXT_UPDATE = "no_next_update"
    """A CRL / OCSP response without nextUpdate."""
    TRY_LATER = "try_later"
    """OCSP: a bare tryLater response (RFC 6960 §4.2.1); CRL: HTTP 503."""


@dataclass(frozen=True)
class FaultSpec:
    fault: Fault
    seconds: float = 0.0
    size: int = 0
    target: str = ""
    status: int = 0


@dataclass
class _CA:
    name: str
    cert: Certificate
    key: SigningKey
    issued: dict[int, Certificate] = field(default_factory=dict)
    revoked: dict[int, datetime.datetime] = field(default_factory=dict)
    crl_number: int = 0


class CAService:
    """The HTTP service and its PKI. Thread-safe: handlers run on the server's threads."""

    def __init__(self, kind: KeyKind = KeyKind.P256, *, tls_dir: Path | None = None) -> None:
        """``kind``: the PKI's key type. ``tls_dir``: serve https instead, with a self-signed server
        certificate for 127.0.0.1 written there; :attr:`tls_context` is a client context trusting it."""
        self.kind = kind
        self.now = REF_TIME
        self.hits: collections.Counter[str] = collections.Counter()
        self._faults: dict[str, FaultSpec] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.service = self  # type: ignore[attr-defined]
        self.port = self._server.server_address[1]
        self.tls_context: ssl.SSLContext | None = None
        if tls_dir is not None:
            cert_path, key_path = _tls_server_files(tls_dir)
            server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            server_context.load_cert_chain(cert_path, key_path)
            self._server.socket = server_context.wrap_socket(self._server.socket, server_side=True, do_handshake_on_connect=False)
            self.tls_context = ssl.create_default_context(cafile=str(cert_path))
        self.base_url = f"{'https' if tls_dir is not None else 'http'}://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="ca-service", daemon=True)
        self.wrong_key = get_key(kind, "ca-service/wrong")
        self._cas: dict[str, _CA] = {}
        self._build_pki()

    # -- the PKI ---------------------------------------------------------------------------------

    def _build_pki(self) -> None:
        kind = self.kind
        root_key, inter_key = get_key(kind, "ca-service/root"), get_key(kind, "ca-service/intermediate")
        self.leaf_key = get_key(kind, "ca-service/leaf")
        self.root = issue_certificate(subject=ca_name("CA Service Root"), subject_key=root_key, issuer_key=root_key, serial=1,
                                      not_before=REF_TIME - 5 * YEAR, not_after=REF_TIME + 10 * YEAR, ca=True)
        root = self._cas["root"] = _CA("root", self.root, root_key)
        self.intermediate = issue_certificate(
            subject=ca_name("CA Service Issuing CA"), subject_key=inter_key, issuer=self.root.subject, issuer_key=root_key,
            serial=2, not_before=REF_TIME - 2 * YEAR, not_after=REF_TIME + 5 * YEAR, ca=True, path_len=0,
            crl_urls=[self.crl_url("root")], ocsp_urls=[self.ocsp_url("root")])
        root.issued[2] = self.intermediate
        self._cas["intermediate"] = _CA("intermediate", self.intermediate, inter_key)
        self.leaf = self.issue_leaf(0x1001)

    def issue_leaf(
        self, serial: int, *, crl_urls: list[str] | None = None, ocsp_urls: list[str] | None = None, common_name: str = "Service Leaf",
        known: bool = True,
    ) -> Certificate:
        """A leaf from the intermediate; by default its CRLDP and AIA point at this service. The OCSP
        responder answers "unknown" for a leaf issued with ``known=False``."""
        inter = self._cas["intermediate"]
        cert = issue_certificate(
            subject=leaf_name(common_name), subject_key=self.leaf_key, issuer=inter.cert.subject, issuer_key=inter.key,
            serial=serial, not_before=REF_TIME - 30 * DAY, not_after=REF_TIME + YEAR, key_usage={"digital_signature"},
            crl_urls=[self.crl_url("intermediate")] if crl_urls is None else crl_urls,
            ocsp_urls=[self.ocsp_url("intermediate")] if ocsp_urls is None else ocsp_urls)
        if known:
            with self._lock:
                inter.issued[serial] = cert
        return cert

    @property
    def chain(self) -> tuple[Certificate, Certificate, Certificate]:
        """leaf, intermediate, root: what :meth:`RevocationSource.gather` takes."""
        return self.leaf, self.intermediate, self.root

    def revoke(self, serial: int, when: datetime.datetime, ca: str = "intermediate") -> None:
        with self._lock:
            self._cas[ca].revoked[serial] = when

    def crl_url(self, ca: str) -> str:
        return f"{self.base_url}/crl/{ca}.crl"

    def ocsp_url(self, ca: str) -> str:
        return f"{self.base_url}/ocsp/{ca}"

    def make_crl(self, ca: str, fault: Fault = Fault.NONE) -> bytes:
        """The CRL ``/crl/<ca>.crl`` serves now (fresh unless ``fault`` is STALE or WRONG_KEY)."""
        with self._lock:
            authority = self._cas[ca]
            authority.crl_number += 1
            number, revoked, now = authority.crl_number, sorted(authority.revoked.items()), self.now
        this_update, next_update = (now - 10 * DAY, now - DAY) if fault is Fault.STALE else (now - HOUR, now + DAY)
        if fault is Fault.NO_NEXT_UPDATE:
            next_update = None
        key = self.wrong_key if fault is Fault.WRONG_KEY else authority.key
        return issue_crl(issuer=authority.cert, issuer_key=key, this_update=this_update, next_update=next_update,
                         revoked=revoked, number=number).der

    def make_ocsp(self, ca: str, request_der: bytes, fault: Fault = Fault.NONE) -> bytes:
        """The response ``/ocsp/<ca>`` gives to ``request_der``: status of the asked serial (unknown if not issued here)."""
        try:
            request = asn1_ocsp.OCSPRequest.load(request_der, strict=True)
            (single,) = request["tbs_request"]["request_list"]
            cert_id = single["req_cert"]
            serial = cert_id["serial_number"].native
            hash_name = ocsp.HASH_NAMES[cert_id["hash_algorithm"]["algorithm"].dotted]
            nonce = None
            for extension in request["tbs_request"]["request_extensions"] or []:
                if extension["extn_id"].dotted == ocsp.OCSP_OID.NONCE:
                    nonce = extension["extn_value"].parsed.native
        except (ValueError, TypeError, KeyError):
            return issue_ocsp_response(cert=self.root, issuer=self.root, responder_key=self._cas["root"].key,
                                       this_update=self.now, response_status="malformed_request")
        with self._lock:
            authority = self._cas[ca]
            cert = authority.issued.get(serial)
            revoked_at = authority.revoked.get(serial)
            now = self.now
        this_update, next_update = (now - 10 * DAY, now - DAY) if fault is Fault.STALE else (now - HOUR, now + HOUR)
        if fault is Fault.NO_NEXT_UPDATE:
            next_update = None
        if fault is Fault.TRY_LATER:
            return issue_ocsp_response(cert=authority.cert, issuer=authority.cert, responder_key=authority.key,
                                       this_update=now, response_status="try_later")
        status = "unknown" if cert is None else ("revoked" if revoked_at is not None else "good")
        return issue_ocsp_response(
            cert=cert or authority.cert, serial=serial, issuer=authority.cert,
            responder_key=self.wrong_key if fault is Fault.WRONG_KEY else authority.key,
            this_update=this_update, next_update=next_update, status=status, revoked_at=revoked_at,
            nonce=nonce, hash_algorithm=hash_name)

    # -- faults and counters -------------------------------------------------------------------------

    def inject(
        self, url_or_path: str, fault: Fault, *, seconds: float = 0.0, size: int = 0, target: str = "", status: int = 0,
    ) -> None:
        """From now on, ``url_or_path`` answers with ``fault`` (Fault.NONE: properly). ``seconds`` for
        DELAY and TRICKLE, ``size`` for OVERSIZED*, ``target`` and ``status`` for the redirects."""
        with self._lock:
            self._faults[urlsplit(url_or_path).path] = FaultSpec(fault, seconds, size, target, status)

    def clear(self, url_or_path: str | None = None) -> None:
        """Remove the fault on one path, or every fault."""
        with self._lock:
            if url_or_path is None:
                self._faults.clear()
            else:
                self._faults.pop(urlsplit(url_or_path).path, None)

    def fault_for(self, path: str) -> FaultSpec:
        with self._lock:
            return self._faults.get(path, FaultSpec(Fault.NONE))

    def count(self, path: str) -> None:
        with self._lock:
            self.hits[path] += 1

    def hits_for(self, url_or_path: str) -> int:
        with self._lock:
            return self.hits[urlsplit(url_or_path).path]

    def reset_hits(self) -> None:
        with self._lock:
            self.hits.clear()

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds`` unless the service stops first (True when stopping)."""
        return self._stop.wait(seconds)

    # -- lifecycle -----------------------------------------------------------------------------------

    def __enter__(self) -> CAService:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)


def _tls_server_files(directory: Path) -> tuple[Path, Path]:
    """A self-signed P-256 server certificate for 127.0.0.1 and its key, as PEM files."""
    key = ec.generate_private_key(ec.SECP256R1())
    subject = cx509.Name([cx509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (cx509.CertificateBuilder().subject_name(subject).issuer_name(subject).public_key(key.public_key())
            .serial_number(cx509.random_serial_number())
            .not_valid_before(now - DAY).not_valid_after(now + DAY)
            .add_extension(cx509.SubjectAlternativeName([cx509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = Path(directory) / "server.pem", Path(directory) / "server.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


class _Handler(BaseHTTPRequestHandler):
    server: Any

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        self._answer(None)

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self._answer(self.rfile.read(min(length, 1 << 16)))

    def _answer(self, body: bytes | None) -> None:
        service: CAService = self.server.service
        path = urlsplit(self.path).path
        parts = path.strip("/").split("/")
        if len(parts) >= 2 and parts[0] == "ocsp":
            counted = f"/ocsp/{parts[1]}"
        else:
            counted = path
        service.count(counted)
        spec = service.fault_for(counted)
        if spec.fault is Fault.DELAY and service.wait(spec.seconds):
            return
        if spec.fault is Fault.HTTP_500 or (spec.fault is Fault.TRY_LATER and parts[0] == "crl"):
            return self._send(500 if spec.fault is Fault.HTTP_500 else 503, b"internal error")
        if spec.fault is Fault.REDIRECT_LOOP:
            return self._redirect(spec.status or 307, self.path)
        if spec.fault is Fault.REDIRECT:
            return self._redirect(spec.status or 302, spec.target)
        if spec.fault is Fault.GARBAGE:
            return self._send(200, b"<html><body>this is not a CRL</body></html>")
        if spec.fault in (Fault.OVERSIZED, Fault.OVERSIZED_UNANNOUNCED):
            return self._send_filler(spec.size, announce=spec.fault is Fault.OVERSIZED)
        try:
            payload = self._payload(service, parts, body, spec.fault)
        except KeyError:
            return self._send(404, b"no such CA")
        if payload is None:
            return self._send(404, b"not found")
        if spec.fault is Fault.TRICKLE:
            return self._trickle(service, payload, spec.seconds)
        if spec.fault is Fault.CLOSE_MID_BODY:
            return self._close_mid_body(payload)
        self._send(200, payload)

    def _payload(self, service: CAService, parts: list[str], body: bytes | None, fault: Fault) -> bytes | None:
        if parts[0] == "mirror":  # /mirror/<path> serves what <path> serves, without its fault
            parts = parts[1:]
        if len(parts) == 2 and parts[0] == "crl" and parts[1].endswith(".crl") and body is None:
            return service.make_crl(parts[1][:-4], fault)
        if parts[0] == "ocsp" and len(parts) == 2 and body is not None:
            return service.make_ocsp(parts[1], body, fault)
        if parts[0] == "ocsp" and len(parts) >= 3 and body is None:
            request = base64.b64decode(unquote("/".join(parts[2:])))
            return service.make_ocsp(parts[1], request, fault)
        return None

    def _send(self, status: int, payload: bytes, *, announce: bool = True) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/octet-stream")
            if announce:
                self.send_header("Content-Length", str(len(payload)))
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(payload)
        except OSError:  # the client gave up (size limit, timeout): fine
            pass
        self.close_connection = True

    def _send_filler(self, size: int, *, announce: bool) -> None:
        """200 with ``size`` filler bytes, written in chunks (never built in memory)."""
        try:
            self.send_response(200)
            if announce:
                self.send_header("Content-Length", str(size))
            self.send_header("Connection", "close")
            self.end_headers()
            chunk = b"\x30" * 65536
            for start in range(0, size, len(chunk)):
                self.wfile.write(chunk[: min(len(chunk), size - start)])
        except OSError:  # the client stopped reading: the point of the exercise
            pass
        self.close_connection = True

    def _redirect(self, status: int, location: str) -> None:
        self.send_response(status)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()
        self.close_connection = True

    def _trickle(self, service: CAService, payload: bytes, seconds: float) -> None:
        try:
            self.send_response(200)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.flush()
            for index in range(len(payload)):
                self.wfile.write(payload[index:index + 1])
                self.wfile.flush()
                if service.wait(seconds):
                    break
        except OSError:
            pass
        self.close_connection = True

    def _close_mid_body(self, payload: bytes) -> None:
        self.send_response(200)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload[: len(payload) // 2])
        self.wfile.flush()
        try:
            self.connection.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.close_connection = True


@pytest.fixture
def ca_service() -> Iterator[CAService]:
    """A running :class:`CAService` (P-256 PKI), stopped after the test."""
    with CAService() as service:
        yield service
