"""Stable special-function kernels behind the Erlang B, C and A formulas.

Everything here works on numpy arrays and in log space where values can overflow.
No factorials and no plain incomplete-gamma products: for large loads (thousands of
erlangs) or extreme patience those overflow/underflow in double precision.

Two families of sums appear in the formulas:

* ``G(n, A) = 1/B(n, A) - 1 = sum_{k<n} pi_k / pi_n`` for the Erlang B probability ``B``;
* ``M(a, z) = 1F1(1; a+1; z) = sum_j z^j / ((a+1)...(a+j))``, Kummer's function, which
  is the relative mass of the queue states of an M/M/n+M system (Erlang A), with
  ``a = n * mu/theta`` and ``z = lambda/theta``.

Both are evaluated either through the regularised incomplete gamma function (when that
value is of order one, so it cannot underflow) multiplied by a prefactor computed with a
cancellation-free Stirling form, or by summing their positive series directly (when the
incomplete gamma would underflow, which is exactly when the series converges fast).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import integrate, special

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# Below this the Stirling remainder series is not accurate to double precision; above it
# lgamma-based prefactors would cancel catastrophically for large arguments.
_STIRLING_MIN = 15.0
# Series terms smaller than this fraction of the running sum are dropped.
_SERIES_EPS = 1e-17
# Arguments up to this size always use the series: it converges in a few dozen terms.
_SMALL_ARG = 50.0


def as_float_array(value: object) -> FloatArray:
    """Return ``value`` as a float64 array (a copy is not guaranteed)."""
    return np.asarray(value, dtype=np.float64)


def log1pmx(t: FloatArray) -> FloatArray:
    """``log(1 + t) - t`` to full relative precision, also for small ``|t|``.

    ``log1p(t) - t`` cancels for small ``t`` (both terms are ``~t`` while the result is
    ``~t^2/2``).  With ``w = t / (2 + t)``, ``log1p(t) = 2 atanh(w)`` and ``2 w - t =
    -t^2/(2+t)``, so ``log1pmx(t) = -t^2/(2+t) + 2 (w^3/3 + w^5/5 + ...)``; for
    ``|t| <= 1/2`` ``|w| <= 1/3`` and 16 odd powers reach double precision.
    """
    t = as_float_array(t)
    out = np.asarray(np.log1p(t) - t, dtype=np.float64)
    small = np.abs(t) <= 0.5
    if np.any(small):
        ts = t[small]
        w = ts / (2.0 + ts)
        w2 = w * w
        series = np.zeros(ts.shape)
        for k in range(33, 1, -2):
            series = w2 * (1.0 / k + series)
        out[small] = -ts * ts / (2.0 + ts) + 2.0 * w * series
    return out


def _stirling_remainder(a: FloatArray) -> FloatArray:
    """``lgamma(a+1) - (a ln a - a + ln(2 pi a)/2)`` for ``a >= 15`` (error < 1e-16)."""
    inv = 1.0 / a
    inv2 = inv * inv
    return inv * (
        1.0 / 12.0 - inv2 * (1.0 / 360.0 - inv2 * (1.0 / 1260.0 - inv2 * (1.0 / 1680.0 - inv2 / 1188.0)))
    )


def log_gamma_prefactor(a: FloatArray, z: FloatArray) -> FloatArray:
    """``log(Gamma(a+1) * e^z * z^-a)`` without cancellation for large ``a`` and ``z``.

    ``z - a ln z + lgamma(a+1)`` subtracts numbers of size ``a ln a`` to get something of
    size ``ln a``; the rewritten form ``-a log1pmx(t) + ...`` with ``t = (z-a)/a`` keeps
    full relative precision.
    """
    a = as_float_array(a)
    z = as_float_array(z)
    out = np.empty(np.broadcast(a, z).shape, dtype=np.float64)
    a, z = np.broadcast_arrays(a, z)
    big = a >= _STIRLING_MIN
    if np.any(big):
        ab = a[big]
        t = (z[big] - ab) / ab
        out[big] = -ab * log1pmx(t) + 0.5 * np.log(2.0 * math.pi * ab) + _stirling_remainder(ab)
    small = ~big
    if np.any(small):
        asm = a[small]
        zs = z[small]
        out[small] = zs - asm * np.log(zs) + as_float_array(special.gammaln(asm + 1.0))
    return out


def log_erlang_b_inverse_minus_one(n: FloatArray, load: FloatArray) -> FloatArray:
    """``log(1/B(n, A) - 1)`` for integer-valued ``n >= 1`` and ``A > 0`` (arrays).

    ``1/B - 1 = n! e^A A^-n Q(n, A)`` with ``Q`` the regularised upper incomplete gamma
    function.  When ``n`` is well below ``A`` ``Q`` underflows, and then the finite series
    ``sum_i n (n-1) ... (n-i+1) / A^i`` converges quickly instead.
    """
    n, load = np.broadcast_arrays(as_float_array(n), as_float_array(load))
    out = np.empty(n.shape, dtype=np.float64)
    use_series = (n < load) & ((n <= _SMALL_ARG) | ((load - n) ** 2 >= 9.0 * load))
    gam = ~use_series
    if np.any(gam):
        ng = n[gam]
        lg = load[gam]
        out[gam] = log_gamma_prefactor(ng, lg) + np.log(as_float_array(special.gammaincc(ng, lg)))
    if np.any(use_series):
        out[use_series] = np.log(_erlang_b_series(n[use_series], load[use_series]))
    return out


def _erlang_b_series(n: FloatArray, load: FloatArray) -> FloatArray:
    """Sum of ``n (n-1) ... (n-i+1) / A^i`` for ``i = 1..n`` (all terms positive)."""
    total = np.zeros(n.shape, dtype=np.float64)
    term = np.ones(n.shape, dtype=np.float64)
    active = np.arange(n.size)
    start = 0
    chunk = 32
    while active.size:
        na = n[active][:, None]
        la = load[active][:, None]
        i = start + np.arange(chunk, dtype=np.float64)
        ratios = np.clip(na - i, 0.0, None) / la
        terms = term[active][:, None] * np.cumprod(ratios, axis=1)
        total[active] += terms.sum(axis=1)
        term[active] = terms[:, -1]
        start += chunk
        done = (terms[:, -1] <= _SERIES_EPS * total[active]) | (start >= n[active])
        active = active[~done]
        chunk = min(chunk * 2, 4096)
    return total


@dataclass(frozen=True, slots=True)
class KummerLogs:
    """Logs of ``S = M(a, z)``, ``T = sum_j j r_j`` and optionally ``U = sum_j r_j h_j``.

    ``r_j = z^j / ((a+1)...(a+j))`` are the relative queue-state masses of Erlang A and
    ``h_j = sum_{i=1..j} 1/(a+i)`` the partial harmonic sums that give waiting times.
    ``log_u`` is NaN where it was not requested.
    """

    log_s: FloatArray
    log_t: FloatArray
    log_u: FloatArray


def log_kummer(a: FloatArray, z: FloatArray, *, want_u: bool = False) -> KummerLogs:
    """Evaluate :class:`KummerLogs` for arrays ``a > 0``, ``z >= 0``.

    Series where it converges fast (small ``z``, or ``z`` at least ``3 sqrt(a)`` below
    ``a``); otherwise ``log M = log_gamma_prefactor(a, z) + log P(a, z)`` where the lower
    regularised gamma ``P`` is at least of order 1e-3, and ``T = a + (z - a) S``
    (exact identity; loses at most about one digit in the narrow band ``z`` just below
    ``a``).  ``U`` in the gamma region has no cheap closed form and is integrated
    numerically (see :func:`_log_u_quadrature`).
    """
    a, z = np.broadcast_arrays(as_float_array(a), as_float_array(z))
    shape = a.shape
    log_s = np.empty(shape, dtype=np.float64)
    log_t = np.empty(shape, dtype=np.float64)
    log_u = np.full(shape, np.nan, dtype=np.float64)
    use_series = (z <= _SMALL_ARG) | ((z < a) & ((a - z) ** 2 >= 9.0 * a))
    if np.any(use_series):
        s, t, u = _kummer_series(a[use_series], z[use_series], want_u=want_u)
        log_s[use_series] = np.log(s)
        with np.errstate(divide="ignore"):
            log_t[use_series] = np.log(t)
            if want_u:
                log_u[use_series] = np.log(u)
    gam = ~use_series
    if np.any(gam):
        ag = a[gam]
        zg = z[gam]
        ls = log_gamma_prefactor(ag, zg) + np.log(as_float_array(special.gammainc(ag, zg)))
        log_s[gam] = ls
        # T/S = a/S + (z - a); both terms positive when z >= a.
        log_t[gam] = ls + np.log(ag * np.exp(-ls) + (zg - ag))
        if want_u:
            log_u[gam] = np.array(
                [_log_u_quadrature(float(x), float(y)) for x, y in zip(ag, zg, strict=True)],
                dtype=np.float64,
            )
    return KummerLogs(log_s, log_t, log_u)


def _kummer_series(
    a: FloatArray, z: FloatArray, *, want_u: bool
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Direct sums of ``r_j``, ``j r_j`` and ``h_j r_j`` (all terms positive)."""
    m = a.size
    s = np.ones(m, dtype=np.float64)
    t = np.zeros(m, dtype=np.float64)
    u = np.zeros(m, dtype=np.float64)
    term = np.ones(m, dtype=np.float64)
    harmonic = np.zeros(m, dtype=np.float64)
    active = np.arange(m)
    start = 0
    chunk = 32
    while active.size:
        aa = a[active][:, None]
        zz = z[active][:, None]
        j = start + np.arange(1, chunk + 1, dtype=np.float64)
        ratios = zz / (aa + j)
        terms = term[active][:, None] * np.cumprod(ratios, axis=1)
        s[active] += terms.sum(axis=1)
        t[active] += (terms * j).sum(axis=1)
        if want_u:
            h = harmonic[active][:, None] + np.cumsum(1.0 / (aa + j), axis=1)
            u[active] += (terms * h).sum(axis=1)
            harmonic[active] = h[:, -1]
        last = terms[:, -1]
        term[active] = last
        start += chunk
        rho = ratios[:, -1]
        # Ratios decrease with j, so the tail is bounded by a geometric series.
        with np.errstate(divide="ignore", invalid="ignore"):
            geo = np.where(rho < 1.0, 1.0 / (1.0 - rho), np.inf)
            tail_s = last * geo
            tail_t = last * (start * geo + geo * geo)
            done = (tail_s <= _SERIES_EPS * s[active]) & (tail_t <= _SERIES_EPS * t[active])
            if want_u:
                tail_u = tail_s * (harmonic[active] + geo / (a[active] + start))
                done &= tail_u <= _SERIES_EPS * u[active]
        done |= last == 0.0
        active = active[~done]
        chunk = min(chunk * 2, 4096)
    return s, t, u


def _log_u_quadrature(a: float, z: float) -> float:
    """``log U`` for one point of the gamma region.

    ``U = z I`` with ``I = integral_0^1 v^a e^{z(1-v)} (-ln v) dv``; with ``v = e^-s``
    this is ``integral_0^inf s exp(-(a+1) s - z expm1(-s)) ds``.
    """
    return math.log(z) + log_laplace_integral(a + 1.0, z, 0.0, math.inf, weight_s=True)


def log_answered_within_integral(x: float, y: float, theta_t: float) -> float:
    """``log integral_0^{theta T} exp(-(x+1) s - y expm1(-s)) ds``.

    This is ``integral_c^1 u^x e^{y(1-u)} du`` with ``u = e^-s``: the Erlang A
    probability of being answered within T after waiting, divided by ``x pi_n``.  The
    closed form is a difference of two nearly equal Kummer terms when few waiting callers
    are answered within T; this positive integrand has no such cancellation.
    """
    return log_laplace_integral(x + 1.0, y, 0.0, theta_t, weight_s=False)


def log_laplace_integral(k: float, z: float, lower: float, upper: float, *, weight_s: bool) -> float:
    """``log integral_lower^upper w(s) exp(psi(s)) ds`` with ``psi(s) = -k s - z expm1(-s)``
    and ``w(s) = s`` or 1, for ``k > 0``, ``z >= 0``, ``0 <= lower < upper <= inf``.

    ``psi`` is concave with its mode at ``s0 = ln(z/k)`` (or 0).  The integrand is scaled
    by its value at a reference point ``r`` (the mode clipped to the interval), and
    ``psi(s) - psi(r) = -k d - z e^-r expm1(-d)`` with ``d = s - r`` is evaluated in that
    form, which keeps full relative precision even when ``k`` and ``z`` are in the
    millions (``-k (expm1(-d) + d)`` at the mode).  QUADPACK gets break points at ``r``
    and a few widths around it.  Its round-off diagnostics are not raised as warnings:
    the integrand is as exact as double precision allows.
    """
    s0 = math.log(z / k) if z > k else 0.0
    r = min(max(s0, lower), upper)
    if r == s0 and s0 > 0.0:
        # psi(s0) = z - k - k ln(z/k), written so rounding in s0 cannot cost digits.
        log_ref = -k * float(log1pmx(np.array([(z - k) / k]))[0])
        slope_scale = k
    else:
        log_ref = -k * r - z * math.expm1(-r)
        slope_scale = z * math.exp(-r)

    def integrand(s: float) -> float:
        d = s - r
        value = math.exp(-k * d - slope_scale * math.expm1(-d))
        return s * value if weight_s else value

    widths = [1.0 / k]
    if slope_scale > 0.0:
        widths.append(1.0 / math.sqrt(slope_scale))
    if slope_scale != k:
        widths.append(1.0 / abs(k - slope_scale))
    split = r + 80.0 * max(widths) + 2.0
    finite_upper = min(upper, split)
    candidates = {r + m * w for w in widths for m in (-40.0, -8.0, -2.0, -0.5, 0.5, 2.0, 8.0, 40.0)}
    points = sorted(p for p in candidates if lower < p < finite_upper)
    value = float(
        integrate.quad(
            integrand, lower, finite_upper, points=points or None, epsabs=0.0, epsrel=1e-13, limit=500, full_output=1
        )[0]
    )
    if upper > finite_upper:
        value += float(
            integrate.quad(integrand, finite_upper, upper, epsabs=0.0, epsrel=1e-13, limit=200, full_output=1)[0]
        )
    return log_ref + math.log(value)


def logaddexp(x: FloatArray, y: FloatArray) -> FloatArray:
    """Typed wrapper of :func:`numpy.logaddexp`."""
    return np.asarray(np.logaddexp(x, y), dtype=np.float64)
