"""Point arithmetic on the SM2 curve sm2p256v1 (GB/T 32918.5-2017), written for speed in CPython.

Internal to :mod:`certmutual.crypto.sm2`; nothing here checks its inputs beyond what correctness needs.

Representation
    Field elements are gmpy2 ``mpz`` when gmpy2 is importable and plain ``int`` otherwise. The int type is
    chosen once, at import, and the code is the same for both; gmpy2 is several times faster because
    GMP's 512-bit reduction is much cheaper than CPython's.
    Points being computed are Jacobian ``(X, Y, Z)`` with x = X/Z^2 and y = Y/Z^3, where Z == 0 is the
    point at infinity. Precomputed points are affine, so every addition in a hot loop is a mixed
    (Jacobian + affine) addition. Doubling uses a = -3: 3x^2 + aZ^4 = 3(X - Z^2)(X + Z^2).

Scalar multiplication
    :class:`FixedBaseTable`: fixed signed windows of ``w`` bits, one row per window, row i holding
    [1..2^(w-1)] * 2^(w*i) * P. [k]P is the sum of one entry per window: no doublings at all. Used for G
    (built once, lazily) and for public keys that verify again and again (CA keys). Rows are built
    with affine additions, their inversions batched across rows.
    :func:`mul_wnaf`: width-5 wNAF for a point seen once: 256 doublings and about 43 mixed additions
    over the odd multiples P, 3P, ..., 15P, made affine with a single (batched) inversion.
    :func:`x_matches`: SM2's final comparison on the Jacobian result, with no inversion at all.

The hot loops are written out inline on purpose: in CPython a function call costs as much as several
field multiplications. Reductions are skipped where an unreduced product is only added, subtracted or
multiplied once more before the next reduction (GMP multiplies 512-bit numbers almost as fast as
256-bit ones). Nothing here is constant-time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

try:  # GMP integers when available; same code either way
    import gmpy2 as _gmpy2

    _mpz: Callable[[int], int] = cast(Callable[[int], int], _gmpy2.mpz)
    _invert: Callable[[int, int], int] = cast(Callable[[int, int], int], _gmpy2.invert)
    HAVE_GMPY2 = True
except ImportError:  # pragma: no cover - exercised only where gmpy2 is missing
    _mpz = int

    def _invert(a: int, m: int) -> int:
        return pow(a, -1, m)

    HAVE_GMPY2 = False

# GB/T 32918.5-2017 recommended curve parameters (plain ints: for encoding and scalar arithmetic)
P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC  # = P - 3
B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
GX = 0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7
GY = 0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0

# The same values in the arithmetic type
_P = _mpz(P)
_ZERO = _mpz(0)
_ONE = _mpz(1)
_THREE_HALVES = _mpz(3 * pow(2, -1, P) % P)

Jacobian = tuple[int, int, int]
"""(X, Y, Z); Z == 0 is the point at infinity."""

INFINITY: Jacobian = (_ONE, _ONE, _ZERO)


def is_on_curve(x: int, y: int) -> bool:
    """True if 0 <= x, y < p and y^2 = x^3 - 3x + b (mod p). The point at infinity has no (x, y)."""
    if not (0 <= x < P and 0 <= y < P):
        return False
    return (y * y - (x * x * x - 3 * x + B)) % P == 0


def lift_x(x: int, y_odd: bool) -> int | None:
    """The y with (x, y) on the curve and the given parity, or None if x is not an abscissa.

    p = 3 (mod 4), so a square root of c is c^((p+1)/4) when one exists.
    """
    if not 0 <= x < P:
        return None
    c = (x * x * x - 3 * x + B) % P
    y = pow(c, (P + 1) // 4, P)
    if y * y % P != c:
        return None
    if (y & 1) != y_odd:
        y = P - y  # y != 0 here: the group has odd order, so no point has y == 0
    return y


def double(X: int, Y: int, Z: int) -> Jacobian:
    """[2](X, Y, Z) for a = -3; infinity doubles to infinity (Z stays 0).

    dbl-2001-b rescaled by l = 1/2 ((X, Y, Z) and (l^2 X, l^3 Y, l Z) are the same point): with
    M = 3/2 (X - Z^2)(X + Z^2) and beta = X Y^2, X3 = M^2 - 2 beta, Y3 = M (beta - X3) - Y^4, Z3 = Y Z.
    The textbook factors 2, 4 and 8 disappear, leaving one multiplication by the constant 3/2 mod p:
    fewer CPython operations per doubling, and doublings dominate a one-off verification.
    """
    p = _P
    zz = Z * Z % p
    yy = Y * Y % p
    beta = X * yy
    m = (X - zz) * (X + zz) * _THREE_HALVES % p
    X3 = (m * m - beta - beta) % p
    return X3, (m * (beta - X3) - yy * yy) % p, Y * Z % p


def add_mixed(X: int, Y: int, Z: int, x2: int, y2: int) -> Jacobian:
    """(X, Y, Z) + affine (x2, y2), handling infinity, doubling and P + (-P)."""
    if not Z:
        return x2, y2, _ONE
    p = _P
    zz = Z * Z % p
    h = (x2 * zz - X) % p
    rr = (y2 * zz * Z - Y) % p
    if not h:
        return double(X, Y, Z) if not rr else INFINITY
    hh = h * h % p
    hhh = h * hh
    v = X * hh
    X3 = (rr * rr - hhh - 2 * v) % p
    return X3, (rr * (v - X3) - Y * hhh) % p, Z * h % p


def to_affine(X: int, Y: int, Z: int) -> tuple[int, int] | None:
    """Affine (x, y) as plain ints, or None for the point at infinity."""
    if not Z:
        return None
    zi = _invert(Z, _P)
    zi2 = zi * zi % _P
    return int(X * zi2 % _P), int(Y * zi2 * zi % _P)


def batch_to_affine(points: Sequence[Jacobian]) -> list[tuple[int, int]]:
    """Affine forms of finite Jacobian points with one inversion (Montgomery's trick)."""
    p = _P
    out: list[tuple[int, int]] = []
    for (X, Y, _), zi in zip(points, batch_invert([pt[2] for pt in points])):
        zi2 = zi * zi % p
        out.append((X * zi2 % p, Y * zi2 * zi % p))
    return out


def batch_invert(values: Sequence[int]) -> list[int]:
    """Inverses mod p of nonzero values with one inversion (Montgomery's trick)."""
    p = _P
    prefix: list[int] = []
    acc = _ONE
    for v in values:
        prefix.append(acc)
        acc = acc * v % p
    inv = _invert(acc, p)  # raises ZeroDivisionError on a zero value: a bug, not an input
    out = [_ZERO] * len(values)
    for i in range(len(values) - 1, -1, -1):
        out[i] = inv * prefix[i] % p
        inv = inv * values[i] % p
    return out


def _affine_rows(x: int, y: int, window: int, sizes: Sequence[int]) -> tuple[list[list[Any]], list[list[Any]]]:
    """Rows j * 2^(window*i) * P for j = 1..sizes[i], affine, as (xs, ys) lists indexed by j (0 unused).

    The row bases come from plain doublings; then all rows grow together, one multiple at a time, by
    affine additions whose inversions are batched across the rows (one inversion per multiple). That
    is cheaper than Jacobian additions followed by a conversion to affine.
    """
    p = _P
    base_jac: list[Jacobian] = []
    X, Y, Z = x, y, _ONE
    for _ in sizes:
        base_jac.append((X, Y, Z))
        for _ in range(window):
            X, Y, Z = double(X, Y, Z)
    bases = batch_to_affine(base_jac)
    xs: list[list[Any]] = [[None, bx] for bx, _ in bases]
    ys: list[list[Any]] = [[None, by] for _, by in bases]
    for j in range(2, max(sizes) + 1):
        rows = [i for i, size in enumerate(sizes) if size >= j]
        if j == 2:  # 2B: tangent slope (3x^2 + a) / 2y, a = -3
            invs = batch_invert([2 * ys[i][1] % p for i in rows])
            for i, inv in zip(rows, invs):
                bx, by = xs[i][1], ys[i][1]
                lam = 3 * (bx * bx - 1) * inv % p
                x3 = (lam * lam - bx - bx) % p
                xs[i].append(x3)
                ys[i].append((lam * (bx - x3) - by) % p)
            continue
        # jB = (j-1)B + B: chord slope; x differs because (j-1)B != +-B for j < n
        invs = batch_invert([(xs[i][j - 1] - xs[i][1]) % p for i in rows])
        for i, inv in zip(rows, invs):
            row_x, row_y = xs[i], ys[i]
            bx, by = row_x[1], row_y[1]
            x1 = row_x[j - 1]
            lam = (row_y[j - 1] - by) * inv % p
            x3 = (lam * lam - x1 - bx) % p
            row_x.append(x3)
            row_y.append((lam * (bx - x3) - by) % p)
    return xs, ys


class FixedBaseTable:
    """Signed fixed-window table for one point: [k]P with no doublings.

    With w-bit windows, k + OFFSET (OFFSET = 2^(w-1) in every window) is split into w-bit digits b_i and
    [k]P = sum_i (b_i - 2^(w-1)) * 2^(w*i) * P, each digit in [-2^(w-1), 2^(w-1) - 1]. Row i stores the
    multiples 1..2^(w-1) of 2^(w*i) * P in affine form; a negative digit negates y. The top row only
    holds the few multiples a scalar below n can need.
    """

    __slots__ = ("window", "xs", "ys", "_offset", "_shifts", "_mask", "_half", "_nbytes")
    xs: list[list[Any]]  # xs[i][j]: x of j * 2^(w*i) * P (j >= 1)
    ys: list[list[Any]]

    def __init__(self, x: int, y: int, window: int = 8) -> None:
        if not 2 <= window <= 16:
            raise ValueError("window must be 2..16 bits")
        half = 1 << (window - 1)
        # Enough windows that k + OFFSET has no carry out of the top one for every k < n.
        count = (256 + window) // window
        while True:
            offset = sum(half << (window * i) for i in range(count))
            if N - 1 + offset < 1 << (window * count):
                break
            count += 1
        top_max = ((N - 1 + offset) >> (window * (count - 1))) - half
        self.window = window
        self._half = half
        self._offset = offset
        self._mask = (1 << window) - 1
        self._shifts = tuple(window * i for i in range(count))
        self._nbytes = count if window == 8 else 0

        sizes = [half] * (count - 1) + [max(top_max, 1)]
        self.xs, self.ys = _affine_rows(_mpz(x), _mpz(y), window, sizes)

    def digits(self, k: int) -> Sequence[int]:
        """Offset digits b_i of k (0 <= k < n): the signed digit is b_i - 2^(w-1)."""
        kk = int(k) + self._offset
        if self._nbytes:
            return kk.to_bytes(self._nbytes, "little")
        mask = self._mask
        return [(kk >> sh) & mask for sh in self._shifts]

    def mul(self, k: int) -> Jacobian:
        """[k]P for 0 <= k < n."""
        return self.accumulate(INFINITY, k)

    def accumulate(self, acc: Jacobian, k: int) -> Jacobian:
        """acc + [k]P for 0 <= k < n; acc is Jacobian (possibly infinity)."""
        X, Y, Z = acc
        p = _P
        half = self._half
        for xs, ys, b in zip(self.xs, self.ys, self.digits(k)):
            # recover the signed digit: b - half; negative digits use -Q = (x, p - y)
            if b > half:
                b -= half
                x2 = xs[b]
                y2 = ys[b]
            elif b < half:
                b = half - b
                x2 = xs[b]
                y2 = p - ys[b]
            else:
                continue
            if not Z:  # accumulator is infinity: take the table point
                X, Y, Z = x2, y2, _ONE
                continue
            # mixed addition, inlined (see add_mixed)
            zz = Z * Z % p
            h = (x2 * zz - X) % p
            rr = (y2 * zz * Z - Y) % p
            if not h:
                X, Y, Z = double(X, Y, Z) if not rr else INFINITY
                continue
            hh = h * h % p
            hhh = h * hh
            v = X * hh
            X = (rr * rr - hhh - 2 * v) % p
            Y = (rr * (v - X) - Y * hhh) % p
            Z = Z * h % p
        return X, Y, Z


_WNAF_W = 5
_WNAF_MASK = (1 << _WNAF_W) - 1
_WNAF_HALF = 1 << (_WNAF_W - 1)


def _wnaf(k: int) -> list[tuple[int, int]]:
    """Width-5 NAF of k > 0 as (bit position, odd digit) pairs, least significant first.

    Only the nonzero digits are produced, so the loop runs ~43 times rather than 256.
    """
    out: list[tuple[int, int]] = []
    pos = 0
    while k:
        if not k & 1:
            tz = (k & -k).bit_length() - 1  # skip the run of zero bits at once
            k >>= tz
            pos += tz
        d = k & _WNAF_MASK
        if d >= _WNAF_HALF:
            d -= 1 << _WNAF_W
        out.append((pos, d))
        k = (k - d) >> _WNAF_W  # k - d has w low zero bits: the next digit is at least w higher
        pos += _WNAF_W
    return out


def mul_wnaf(x: int, y: int, k: int) -> Jacobian:
    """[k]P for affine P = (x, y) on the curve and 1 <= k < n (width-5 wNAF)."""
    p = _P
    c = _THREE_HALVES
    px, py = _mpz(x), _mpz(y)
    # Odd multiples P, 3P, ..., 15P with one (batched) inversion. 2P = (X2, Y2, Z2) is Jacobian; on the
    # isomorphic curve reached by (x, y) -> (Z2^2 x, Z2^3 y) it is affine (X2, Y2), so each step
    # Q + 2P there is a cheap mixed addition (which does not involve a or b). A Jacobian (X, Y, Z) on
    # that curve is (X, Y, Z * Z2) on ours.
    X2, Y2, Z2 = double(px, py, _ONE)
    zz2 = Z2 * Z2 % p
    acc: Jacobian = (px * zz2 % p, py * zz2 * Z2 % p, _ONE)
    jac: list[Jacobian] = [(px, py, _ONE)]
    for _ in range(_WNAF_HALF // 2 - 1):
        acc = add_mixed(*acc, X2, Y2)
        jac.append((acc[0], acc[1], acc[2] * Z2 % p))
    odd = batch_to_affine(jac)
    # Indexable by the signed digit itself: index d > 0 holds dP, index d < 0 (Python wraps it to
    # 2*HALF + d) holds dP = (x, p - y).
    tx: list[Any] = [None] * (2 * _WNAF_HALF)
    ty: list[Any] = [None] * (2 * _WNAF_HALF)
    for i, (ox, oy) in enumerate(odd):
        tx[2 * i + 1] = tx[-(2 * i + 1)] = ox
        ty[2 * i + 1] = oy
        ty[-(2 * i + 1)] = p - oy
    steps = _wnaf(int(k))
    prev, top = steps.pop()
    steps.insert(0, (0, 0))  # sentinel: the doublings below the lowest digit, and no addition
    X, Y, Z = tx[top], ty[top], _ONE
    for pos, d in reversed(steps):
        for _ in range(prev - pos):
            # doubling, inlined (see double)
            zz = Z * Z % p
            yy = Y * Y % p
            Z = Y * Z % p
            beta = X * yy
            m = (X - zz) * (X + zz) * c % p
            X = (m * m - beta - beta) % p
            Y = (m * (beta - X) - yy * yy) % p
        prev = pos
        if d:
            x2 = tx[d]
            y2 = ty[d]
            if not Z:
                X, Y, Z = x2, y2, _ONE
                continue
            # mixed addition, inlined (see add_mixed)
            zz = Z * Z % p
            h = (x2 * zz - X) % p
            rr = (y2 * zz * Z - Y) % p
            if not h:
                X, Y, Z = double(X, Y, Z) if not rr else INFINITY
                continue
            hh = h * h % p
            hhh = h * hh
            v = X * hh
            X = (rr * rr - hhh - 2 * v) % p
            Y = (rr * (v - X) - Y * hhh) % p
            Z = Z * h % p
    return X, Y, Z


def x_matches(point: Jacobian, r: int, e: int) -> bool:
    """SM2's final check (e + x1) mod n == r on a Jacobian point, without inverting Z.

    x1 = X/Z^2 lies in [0, p) and p < 2n, so x1 = c or x1 = c + n where c = (r - e) mod n; the second
    candidate only counts while c + n < p. Each candidate is checked as X == c * Z^2 (mod p).
    Infinity never matches.
    """
    X, _, Z = point
    if not Z:
        return False
    zz = Z * Z % _P
    c = (r - e) % N
    if X == c * zz % _P:
        return True
    c += N
    return c < P and X == c * zz % _P
