"""SM2 verification speed against ``openssl speed sm2``, measured in the same run.

    python bench/bench_sm2.py            # 3 interleaved rounds, 2 s per measurement (~1 min)
    python bench/bench_sm2.py --quick    # 1 round, 1 s per measurement (~15 s)
    python bench/bench_sm2.py --seconds 3 --rounds 5

Measures
    (a) ``openssl speed -seconds N sm2`` verify/s, run between each of our measurements: this machine's
        speed drifts by up to 2x within seconds, so each of our figures is compared with the openssl
        runs just before and just after it, and the reported ratio is the median over rounds;
    (b) certmutual ``sm2.verify()`` with one cached CA key over 256 different messages (200-900 bytes)
        and pre-made DER signatures: the full call, SM3(Z_A || M) included;
    (c) the same with a fresh key for every verification (no key ever repeats; caches cleared first);
    (d) ``SM2PrivateKey.sign()``.
Our rates are per CPU second, like openssl's (which divides by user CPU time unless given -elapsed).

Acceptance thresholds (from the design brief): cached >= 1.5x openssl, one-off >= 0.4x. This script
only reports; its exit status is always 0 (tests assert, benchmarks print).
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir))

from certmutual.crypto import _sm2_curve, sm2  # noqa: E402

T = TypeVar("T")

CACHED_THRESHOLD = 1.5
ONE_OFF_THRESHOLD = 0.4


def openssl_sm2_verify_per_second(seconds: int) -> float | None:
    """verify/s from ``openssl speed -seconds N sm2``, or None if openssl or its SM2 is unavailable."""
    try:
        proc = subprocess.run(
            ["openssl", "speed", "-seconds", str(seconds), "sm2"],
            capture_output=True,
            text=True,
            timeout=10 * seconds + 60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    # e.g. " 256 bits SM2 (CurveSM2)   0.0005s   0.0004s   2037.5   2353.0"
    for line in proc.stdout.splitlines():
        m = re.search(r"bits SM2\b.*\s([\d.]+)\s+([\d.]+)\s*$", line)
        if m:
            return float(m.group(2))
    return None


def rate(items: Sequence[T], op: Callable[[T], object], seconds: float) -> tuple[float, int]:
    """Operations per CPU second of ``op`` over ``items`` in order (none reused), for ~``seconds``."""
    done = 0
    start = time.process_time()
    deadline = start + seconds
    for i in range(0, len(items), 32):
        chunk = items[i : i + 32]
        for item in chunk:
            op(item)
        done += len(chunk)
        if time.process_time() >= deadline:
            break
    return done / (time.process_time() - start), done


def cycle_rate(items: Sequence[T], op: Callable[[T], object], seconds: float) -> float:
    """Operations per CPU second of ``op`` cycling over ``items`` for ~``seconds``."""
    done = 0
    start = time.process_time()
    deadline = start + seconds
    while True:
        for item in items:
            op(item)
        done += len(items)
        if time.process_time() >= deadline:
            break
    return done / (time.process_time() - start)


def main(argv: Sequence[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="one short round (~15 s in all)")
    ap.add_argument("--seconds", type=float, default=None, help="per measurement (default 2; 1 with --quick)")
    ap.add_argument("--rounds", type=int, default=None, help="interleaved rounds (default 3; 1 with --quick)")
    args = ap.parse_args(argv)
    seconds = args.seconds if args.seconds is not None else (1.0 if args.quick else 2.0)
    rounds = max(1, args.rounds if args.rounds is not None else (1 if args.quick else 3))
    ossl_seconds = max(1, round(seconds))
    gmp = "gmpy2" if _sm2_curve.HAVE_GMPY2 else "plain int (gmpy2 missing)"
    print(f"Python {platform.python_version()}, {gmp}; {rounds} round(s), {seconds:g} s per measurement")

    # Set-up, not timed: G table, a CA key with many signed messages, many single-use keys.
    t0 = time.perf_counter()
    sm2._g_table()
    g_build = time.perf_counter() - t0
    ca = sm2.SM2PrivateKey.generate()
    ca_pub = ca.public_key
    messages = [os.urandom(200 + 7 * i % 700) for i in range(256)]  # TBSCertificate-sized
    signed = [(msg, ca.sign(msg)) for msg in messages]
    need = rounds * (int(seconds * 2500) + 100)  # no one-off key may repeat
    one_off = []
    for i in range(need):
        key = sm2.SM2PrivateKey.generate()
        msg = messages[i % len(messages)]
        one_off.append((key.public_key, msg, key.sign(msg)))
    sm2.clear_key_cache()
    sm2.verify(ca_pub, *signed[0])  # first successful use: remembered
    t0 = time.perf_counter()
    sm2.verify(ca_pub, *signed[0])  # second: builds the key's table
    key_build = time.perf_counter() - t0
    assert sm2.key_cache_info()[0] == 1

    def verify_cached(item: tuple[bytes, bytes]) -> None:
        sm2.verify(ca_pub, *item)

    def verify_one_off(item: tuple[sm2.SM2PublicKey, bytes, bytes]) -> None:
        sm2.verify(*item)

    print(f"openssl speed -seconds {ossl_seconds} sm2 ...", flush=True)
    first = openssl_sm2_verify_per_second(ossl_seconds)
    if first is None:
        print("openssl reference unavailable (no openssl on PATH, or it lacks SM2): nothing to compare with")
        return 0
    ossl_runs: list[float] = [first]

    def openssl_again() -> float:
        value = openssl_sm2_verify_per_second(ossl_seconds)
        ossl_runs.append(value if value is not None else ossl_runs[-1])
        return ossl_runs[-1]

    # openssl, cached, openssl, one-off, openssl, cached, ...
    cached_rates: list[float] = []
    cached_ratios: list[float] = []
    fresh_rates: list[float] = []
    fresh_ratios: list[float] = []
    position = 0
    for rnd in range(rounds):
        print(f"round {rnd + 1}/{rounds}: cached key ...", end="", flush=True)
        value = cycle_rate(signed, verify_cached, seconds)
        before = ossl_runs[-1]
        cached_rates.append(value)
        cached_ratios.append(value / ((before + openssl_again()) / 2))

        print(" one-off keys ...", end="", flush=True)
        sm2.clear_key_cache()
        batch = one_off[position:]
        value, used = rate(batch, verify_one_off, seconds)
        position += used
        if used == len(batch):
            print(f" (all {used} one-off keys used up)", end="")
        assert sm2.key_cache_info()[0] == 0, "one-off keys must never get a table"
        before = ossl_runs[-1]
        fresh_rates.append(value)
        fresh_ratios.append(value / ((before + openssl_again()) / 2))
        print(" done", flush=True)
        sm2.precompute(ca_pub)  # back in the cache for the next round

    signs = cycle_rate(messages, ca.sign, seconds)
    ossl = statistics.median(ossl_runs)

    def row(name: str, value: float, ratio: float, threshold: float | None) -> str:
        line = f"  {name:<34}{value:>10.1f}{ratio:>12.2f}x"
        if threshold is None:
            return line
        mark = "PASS" if ratio >= threshold else "FAIL"
        return line + f"{'>= ' + format(threshold, '.2f') + 'x':>12}  {mark}"

    print()
    print(f"  {'':<34}{'ops/s':>10}{'vs openssl':>13}{'threshold':>12}")
    print(f"  {'openssl speed sm2: verify':<34}{ossl:>10.1f}{1:>12.2f}x")
    median = statistics.median
    print(row("certmutual verify, cached key", median(cached_rates), median(cached_ratios), CACHED_THRESHOLD))
    print(row("certmutual verify, one-off keys", median(fresh_rates), median(fresh_ratios), ONE_OFF_THRESHOLD))
    print(row("certmutual sign", signs, signs / ossl, None))
    print()
    print("  rates and ratios are medians over rounds; each ratio is against the openssl runs on either side")
    print("  openssl verify/s runs: " + ", ".join(f"{r:.0f}" for r in ossl_runs))
    print("  cached ratios: " + ", ".join(f"{r:.2f}" for r in cached_ratios)
          + "; one-off ratios: " + ", ".join(f"{r:.2f}" for r in fresh_ratios))
    print(f"  one-time costs: G table {g_build * 1000:.0f} ms, a key's table {key_build * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
