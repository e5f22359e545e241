"""Load on the gateway: wrk on 127.0.0.1 against ``certmutual serve``, with a hello-world Flask
endpoint under the same gunicorn configuration measured in the same run as the ceiling.

    python bench/bench_gateway.py [--quick] [--workers 2] [--threads 4] [--connections 16] [--database URL]

Measures, alternating the runs (the machine's speed drifts): hello-world requests/s, as a GET and as
a POST of the same JSON body the verify requests carry (gunicorn reads a body in Python: the same
HTTP work as a verify request); repeated SM2 certificate verify (one certificate, POST
/v1/certificates/verify) requests/s and p99; distinct SM2 certificates (every request a certificate
the gateway has not seen) requests/s and p99, each with the share of its requests the busiest
worker answered (from the workers' /metrics before and after: an uneven split of wrk's keep-alive
connections shows there, not as a slow gateway). Then reads the decided requests and 5xx from every
worker's /metrics, stops the gateway and checks the audit trail: records == decided requests, and
``certmutual audit verify`` passes. Targets: repeated >= 0.6x hello-world, distinct >= 300
requests/s, zero 5xx (--strict judges the ratio against the hello-world GET, the issue's ceiling;
the POST ratio is printed beside it). Prints a notice and exits 0 when wrk is missing (install it:
apt-get install wrk). This script only reports; its exit status is 0 unless --strict.
"""

from __future__ import annotations

import argparse
import datetime
import json
import multiprocessing
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from certmutual.demo import DEMO_CREDIT_CODE  # noqa: E402
from certmutual.pki.builder import KeyKind, RawExtension, SigningKey, issue_certificate, name  # noqa: E402
from certmutual.pki.trustlist import (  # noqa: E402
    Service, StatusPeriod, TrustList, VendorEntry, VendorStatus, sign_trust_list,
)
from certmutual.pki.trustlist.document import unsigned_document  # noqa: E402

UTC = datetime.timezone.utc
YEAR = datetime.timedelta(days=365)


@dataclass
class WrkResult:
    requests_per_second: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int
    busiest_worker_share: float | None = None
    """For gateway runs: the share of the run's decided requests the busiest worker answered (0.5
    is an even split between 2 workers; gunicorn's workers accept keep-alive connections greedily,
    and one that takes most of wrk's connections halves the rate)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def build_pki(directory: Path, distinct: int) -> tuple[Path, Path, list[str]]:
    """An SM2 vendor (root, issuing CA), a trust-list authority and list, and ``distinct + 1`` leaves."""
    from asn1crypto import pem

    now = datetime.datetime.now(UTC).replace(microsecond=0)
    root_key, ca_key, authority_key = (SigningKey.generate(KeyKind.SM2) for _ in range(3))
    root = issue_certificate(subject=name({"country_name": "CN", "common_name": "bench SM2 Root"}), subject_key=root_key,
                             issuer_key=root_key, not_before=now - YEAR, not_after=now + 5 * YEAR, ca=True)
    ca = issue_certificate(subject=name({"country_name": "CN", "common_name": "bench SM2 Issuing CA"}), issuer=root.subject,
                           subject_key=ca_key, issuer_key=root_key, not_before=now - YEAR, not_after=now + 5 * YEAR,
                           ca=True, path_len=0)
    authority = issue_certificate(subject=name({"common_name": "bench trust-list authority"}), subject_key=authority_key,
                                  issuer_key=authority_key, not_before=now - YEAR, not_after=now + 5 * YEAR, ca=True,
                                  key_usage={"digital_signature", "key_cert_sign"})
    trust_list = TrustList(1, now - datetime.timedelta(minutes=1), now + 30 * datetime.timedelta(days=1), "bench authority",
                           (VendorEntry("bench-sm2", "bench SM2 CA", frozenset({Service.SIGNING}), (root,), (ca,),
                                        (StatusPeriod(VendorStatus.RECOGNISED, now - YEAR),)),))
    (directory / "trust-list.json").write_bytes(sign_trust_list(unsigned_document(trust_list), authority_key, authority))
    (directory / "authority.pem").write_bytes(pem.armor("CERTIFICATE", authority.der))
    global _ISSUER
    _ISSUER = (ca, ca_key, [SigningKey.generate(KeyKind.SM2) for _ in range(32)], now)
    # Issuing is ~4 ms a certificate in Python: spread over the cores (fork start: the keys are inherited).
    with multiprocessing.get_context("fork").Pool(os.cpu_count() or 2) as pool:
        leaves = pool.map(_issue_leaf, range(distinct + 1), chunksize=256)
    return directory / "trust-list.json", directory / "authority.pem", leaves


_ISSUER: tuple[object, SigningKey, list[SigningKey], datetime.datetime] | None = None


def _issue_leaf(index: int) -> str:
    from asn1crypto import core, pem

    assert _ISSUER is not None
    ca, ca_key, leaf_keys, now = _ISSUER
    leaf = issue_certificate(
        subject=name([("country_name", "CN"), ("organization_name", "示范科技有限公司"), ("common_name", f"bidder {index}")]),
        issuer=ca.subject, subject_key=leaf_keys[index % len(leaf_keys)], issuer_key=ca_key,  # type: ignore[attr-defined]
        not_before=now - YEAR / 12, not_after=now + YEAR, key_usage={"digital_signature", "non_repudiation"},
        extra_extensions=[RawExtension("1.2.156.10260.4.1.4", False, core.PrintableString(DEMO_CREDIT_CODE).dump())])
    return str(pem.armor("CERTIFICATE", leaf.der).decode("ascii"))


LUA_FIXED = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer {key}"
wrk.body = [==[{body}]==]
"""

LUA_HELLO_POST = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [==[{body}]==]
"""

LUA_DISTINCT = """
local bodies = {{}}
for line in io.lines("{bodies}") do bodies[#bodies + 1] = line end
local threads, counter = 0, 0
local next_index, stride
function setup(thread)
  thread:set("first", threads)
  threads = threads + 1
end
function init(args)
  next_index = first
  stride = {threads}
end
wrapped = 0
function request()
  next_index = next_index + stride
  if next_index >= #bodies then next_index = next_index % #bodies; wrapped = wrapped + 1 end
  return wrk.format("POST", "/v1/certificates/verify",
    {{["Content-Type"] = "application/json", ["Authorization"] = "Bearer {key}"}}, bodies[next_index + 1])
end
"""


def wrk(url: str, seconds: int, connections: int, threads: int, script: Path | None) -> WrkResult:
    command = ["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "--timeout", "10s"]
    if script is not None:
        command += ["-s", str(script)]
    output = subprocess.run([*command, url], capture_output=True, text=True, timeout=seconds + 60).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99.group(2)] if p99 else float("nan")
    total = int(re.search(r"(\d+) requests in", output).group(1))  # type: ignore[union-attr]
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output)
    return WrkResult(rate, p99_ms, total, int(non_2xx.group(1)) if non_2xx else 0,
                     sum(int(value) for value in errors.groups()) if errors else 0)


def wait_for(url: str, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not come up")
        time.sleep(0.2)


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="short runs (CI)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--database", help="database URL (default: SQLite in a temporary directory)")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        print("bench_gateway: wrk is not installed (apt-get install wrk); skipped")
        return 0
    seconds = 4 if args.quick else 10
    rounds = 2
    # Every distinct request must be a certificate the gateway has not seen: more than it can do
    # (it has answered up to ~1,700 a second here).
    distinct = 2500 * seconds
    workdir = Path(tempfile.mkdtemp(prefix="certmutual-bench-"))
    processes: list[subprocess.Popen[bytes]] = []
    try:
        started = time.perf_counter()
        trust_list, authority, leaves = build_pki(workdir, distinct)
        print(f"bench_gateway: {len(leaves)} SM2 certificates issued in {time.perf_counter() - started:.1f} s; "
              f"gunicorn {args.workers} workers x {args.threads} threads (gthread), wrk -c {args.connections}, {seconds} s runs")
        database = args.database or f"sqlite:///{workdir / 'gateway.sqlite3'}"
        config = workdir / "gateway.toml"
        config.write_text(
            f'demo = false\nstate_dir = "{workdir}"\ndatabase = "{database}"\ntrust_list = "{trust_list}"\n'
            f'trust_list_authority = ["{authority}"]\nrate_limit_per_second = 1000000.0\nrate_limit_burst = 1000000\n')
        env = {**os.environ, "CERTMUTUAL_GATEWAY_CONFIG": str(config), "PYTHONPATH": str(ROOT)}
        env.pop("CERTMUTUAL_DATABASE", None)
        key = subprocess.run([sys.executable, "-m", "certmutual.cli", "centres", "add", "bench", "--name", "bench centre"],
                             capture_output=True, text=True, env=env, check=True).stdout.strip()
        hello_post = workdir / "hello-post.lua"
        hello_post.write_text(LUA_HELLO_POST.format(body=json.dumps({"certificate": leaves[0], "purpose": "signing"})))
        fixed = workdir / "fixed.lua"
        fixed.write_text(LUA_FIXED.format(key=key, body=json.dumps({"certificate": leaves[0], "purpose": "signing"})))
        bodies = workdir / "bodies.jsonl"
        bodies.write_text("".join(json.dumps({"certificate": leaf, "purpose": "signing"}) + "\n" for leaf in leaves[1:]))
        wrk_threads = 2
        spread = workdir / "distinct.lua"
        spread.write_text(LUA_DISTINCT.format(key=key, bodies=bodies, threads=wrk_threads))

        from certmutual.cli.serve import gunicorn_command

        hello_port, gateway_port = free_port(), free_port()
        gunicorn_args = argparse.Namespace(bind=f"127.0.0.1:{hello_port}", workers=args.workers, threads=args.threads)
        hello_command = gunicorn_command(gunicorn_args)
        hello_command[-1] = "hello_app:app"
        hello_command[3:3] = ["--chdir", str(ROOT / "bench")]
        log = open(workdir / "gateway.log", "wb")
        processes.append(subprocess.Popen(hello_command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env))
        processes.append(subprocess.Popen(
            [sys.executable, "-m", "certmutual.cli", "serve", "--config", str(config), "--bind", f"127.0.0.1:{gateway_port}",
             "--workers", str(args.workers), "--threads", str(args.threads)], stdout=log, stderr=log, env=env))
        wait_for(f"http://127.0.0.1:{hello_port}/hello")
        wait_for(f"http://127.0.0.1:{gateway_port}/readyz")
        hello_url, verify_url = f"http://127.0.0.1:{hello_port}/hello", f"http://127.0.0.1:{gateway_port}/v1/certificates/verify"
        wrk(verify_url, 1, args.connections, wrk_threads, fixed)  # warm both workers' caches for the repeated certificate
        wrk(hello_url, 1, args.connections, wrk_threads, None)
        results: dict[str, list[WrkResult]] = {"hello": [], "hello_post": [], "repeated": [], "distinct": []}
        metrics_url = f"http://127.0.0.1:{gateway_port}/metrics"

        def gateway_run(script: Path) -> WrkResult:
            before = worker_metrics(metrics_url, args.workers)
            result = wrk(verify_url, seconds, args.connections, wrk_threads, script)
            time.sleep(0.2)  # the last requests answered
            after = worker_metrics(metrics_url, args.workers)
            per_worker = [after[pid][0] - before.get(pid, (0, 0))[0] for pid in after]
            result.busiest_worker_share = max(per_worker) / sum(per_worker) if sum(per_worker) else None
            return result

        for round_number in range(rounds):
            results["hello"].append(wrk(hello_url, seconds, args.connections, wrk_threads, None))
            results["hello_post"].append(wrk(hello_url, seconds, args.connections, wrk_threads, hello_post))
            results["repeated"].append(gateway_run(fixed))
            if round_number == 0:
                results["distinct"].append(gateway_run(spread))
        time.sleep(1.0)  # requests still in flight when wrk stopped are answered (and audited) by now
        per_worker = worker_metrics(metrics_url, args.workers).values()
        decided, server_errors = sum(d for d, _ in per_worker), sum(e for _, e in per_worker)
        stop(processes.pop())
        log.close()
        return report(args, results, env, database, distinct, decided, server_errors)
    finally:
        for process in processes:
            stop(process)
        shutil.rmtree(workdir, ignore_errors=True)


def worker_metrics(url: str, workers: int) -> dict[str, tuple[int, int]]:
    """Decided verify requests and 5xx answers of each worker, by pid (each scrape reaches one
    worker, whose series carry its pid: scrape until every worker has answered)."""
    seen: dict[str, tuple[int, int]] = {}
    for _ in range(200):
        request = urllib.request.Request(url, headers={"Connection": "close"})
        with urllib.request.urlopen(request, timeout=5) as response:
            text = response.read().decode()
        pids = set(re.findall(r'pid="(\d+)"', text))
        for pid in pids:
            decided = sum(int(value) for value in re.findall(
                rf'certmutual_gateway_decisions_total{{pid="{pid}",endpoint="certificates/verify",verdict="[a-z]+"}} (\d+)', text))
            errors = sum(int(value) for value in re.findall(
                rf'certmutual_gateway_requests_total{{pid="{pid}",[^}}]*status="5\d\d"}} (\d+)', text))
            seen[pid] = (decided, errors)
        if len(seen) >= workers:
            break
    return seen


def split(result: WrkResult) -> str:
    share = result.busiest_worker_share
    return "" if share is None else f"busiest worker {share:.0%}"


def report(args: argparse.Namespace, results: dict[str, list[WrkResult]], env: dict[str, str], database: str,
           distinct: int, decided: int, server_errors: int) -> int:
    best = {name: max(runs, key=lambda r: r.requests_per_second) for name, runs in results.items()}
    hello, hello_post, repeated, spread = best["hello"], best["hello_post"], best["repeated"], best["distinct"]
    non_2xx = sum(r.non_2xx for runs in results.values() for r in runs)
    socket_errors = sum(r.socket_errors for runs in results.values() for r in runs)
    wrapped = sum(r.requests for r in results["distinct"]) > distinct
    from gateway.storage import open_storage

    storage = open_storage(database)
    audit_count = storage.audit_count()
    storage.close()
    audit = subprocess.run([sys.executable, "-m", "certmutual.cli", "audit", "verify"], capture_output=True, text=True, env=env)
    ratio = repeated.requests_per_second / hello.requests_per_second
    ratio_post = repeated.requests_per_second / hello_post.requests_per_second
    print(f"{'run':42s} {'req/s':>9s} {'p99 ms':>8s} {'requests':>9s}")
    print(f"{'hello-world Flask GET (ceiling)':42s} {hello.requests_per_second:9.0f} {hello.p99_ms:8.2f} {hello.requests:9d}")
    print(f"{'hello-world Flask POST, same body (ceiling)':42s} {hello_post.requests_per_second:9.0f} {hello_post.p99_ms:8.2f} "
          f"{hello_post.requests:9d}")
    print(f"{'repeated SM2 certificate verify':42s} {repeated.requests_per_second:9.0f} {repeated.p99_ms:8.2f} {repeated.requests:9d}"
          f"  {split(repeated)}")
    print(f"{'distinct SM2 certificates verify':42s} {spread.requests_per_second:9.0f} {spread.p99_ms:8.2f} {spread.requests:9d}"
          f"  {split(spread)}" + ("  (certificates wrapped around: some repeated)" if wrapped else ""))
    print(f"ratio repeated / hello-world POST: {ratio_post:.2f}x (target >= 0.6x) {'MET' if ratio_post >= 0.6 else 'NOT MET'}")
    print(f"ratio repeated / hello-world GET:  {ratio:.2f}x (target >= 0.6x) {'MET' if ratio >= 0.6 else 'NOT MET'}")
    print(f"distinct SM2: {spread.requests_per_second:.0f} req/s with {args.workers} workers (target >= 300) "
          f"{'MET' if spread.requests_per_second >= 300 else 'NOT MET'}")
    print(f"5xx: {server_errors} (gateway /metrics); non-2xx seen by wrk: {non_2xx}; socket errors: {socket_errors}")
    print(f"audit: {audit_count} records, {decided} decided requests (gateway /metrics); "
          f"{'EQUAL' if audit_count == decided else 'DIFFERENT'}; audit verify: {audit.stdout.strip() or audit.stderr.strip()}")
    ok = ratio >= 0.6 and spread.requests_per_second >= 300 and server_errors == 0 and non_2xx == 0 \
        and audit_count == decided and audit.returncode == 0
    return 0 if ok or not args.strict else 1


if __name__ == "__main__":
    sys.exit(main())
