"""Interpolating functions rebuilt from finitely many points (x_i, g_i, f_i): the PEP worst cases.

Data ``(p, A, b)`` with p = [kind, Lh, mu, m, r, snap]; the first r coordinates of x carry the
points, the others only the mu/2 ||.||^2 term (kind 0) or nothing (kind 1).

* kind 0, smooth (strongly) convex (Taylor, Hendrickx, Glineur 2017, the construction behind their
  Thm 4): f(x) = h(x) + mu/2 ||x||^2 with h the (Lh = L - mu)-smooth convex function

      h(x) = min_{lam in simplex} Lh/2 ||x - sum_i lam_i z_i||^2 + Lh sum_i lam_i c_i,

  z_i = x_i - gh_i/Lh, c_i = (fh_i - ||gh_i||^2/(2 Lh))/Lh, where (gh_i, fh_i) = (g_i - mu x_i,
  f_i - mu/2 ||x_i||^2). h is the Moreau envelope (parameter 1/Lh) of the convex piecewise-linear
  envelope of the points (z_i, Lh c_i), hence convex and Lh-smooth for ANY data; it interpolates
  the data iff the interpolation conditions hold. grad h(x) = Lh (x - Z^T lam*). ``A`` = [z_i]
  (m x r), ``b`` = c. The simplex QP is solved by ``simplex_qp`` (active set, below).
* kind 1, convex Lipschitz: f(x) = max_i f_i + <g_i, x - x_i>, M-Lipschitz when every ||g_i|| <= M.
  ``A`` = [g_i | x_i] (m x 2r), ``b`` = f_i - <g_i, x_i>. The subgradient is g_i when x is within
  ``snap`` (relative) of x_i, so ties at kinks follow the worst case; else the first maximizer.
"""
from __future__ import annotations

import math

import numpy as np
from numba import njit


@njit(cache=True)
def simplex_qp(Z, c, x, r):
    """lam* = argmin over the simplex of 1/2 ||x - Z^T lam||^2 + c . lam (first r coordinates of x).

    Primal active set: the support's points z_S are kept affinely independent; on the affine hull
    of the support the subproblem is solved by SVD; a direction along which z is constant but c
    decreases (affinely dependent z) is followed until a weight reaches 0."""
    m = Z.shape[0]
    s = 1.0
    for i in range(m):
        t = abs(c[i])
        for k in range(r):
            t += Z[i, k] * Z[i, k]
        s = max(s, t)
    for k in range(r):
        s = max(s, x[k] * x[k])
    best, bv = 0, np.inf
    for i in range(m):
        v = c[i]
        for k in range(r):
            v += 0.5 * (x[k] - Z[i, k]) ** 2
        if v < bv:
            best, bv = i, v
    lam = np.zeros(m)
    lam[best] = 1.0
    S = np.empty(m + 1, dtype=np.int64)
    S[0] = best
    k = 1
    w = np.zeros(r)
    for outer in range(20 * m + 50):
        for q in range(r):
            w[q] = 0.0
        for a in range(k):
            for q in range(r):
                w[q] += lam[S[a]] * Z[S[a], q]
        nu = 0.0
        gmin, jmin = np.inf, -1
        for j in range(m):
            gj = c[j]
            for q in range(r):
                gj += Z[j, q] * (w[q] - x[q])
            if lam[j] > 0.0:
                nu += lam[j] * gj
            if gj < gmin:
                gmin, jmin = gj, j
        if gmin >= nu - 1e-14 * s or k > m:
            break
        inS = False
        for a in range(k):
            if S[a] == jmin:
                inS = True
        if inS:
            break
        S[k] = jmin
        k += 1
        for minor in range(2 * m + 10):
            z0 = S[0]
            U = np.empty((k - 1, r))
            dl = np.empty(k - 1)
            for a in range(1, k):
                dl[a - 1] = c[S[a]] - c[z0]
                for q in range(r):
                    U[a - 1, q] = Z[S[a], q] - Z[z0, q]
            y = np.empty(r)
            for q in range(r):
                y[q] = x[q] - Z[z0, q]
            Au, sig, Bt = np.linalg.svd(U)          # U = Au diag(sig) Bt, Au (k-1)x(k-1)
            smax = sig[0] if sig.shape[0] > 0 else 0.0
            tol = 1e-11 * max(smax, math.sqrt(s))
            nr = 0
            for a in range(sig.shape[0]):
                if sig[a] > tol:
                    nr += 1
            # the part of dl in the null space of U^T: c decreases while z stays put
            dn = dl.copy()
            for a in range(nr):
                t = 0.0
                for b in range(k - 1):
                    t += Au[b, a] * dl[b]
                for b in range(k - 1):
                    dn[b] -= t * Au[b, a]
            dnn = 0.0
            for b in range(k - 1):
                dnn += dn[b] * dn[b]
            mu = np.empty(k)
            if math.sqrt(dnn) > 1e-12 * s:
                # ray: t -> -dn (objective decreases linearly), until a weight hits zero
                d = np.empty(k)
                ssum = 0.0
                for b in range(k - 1):
                    d[b + 1] = -dn[b]
                    ssum += dn[b]
                d[0] = ssum
                theta = np.inf
                for a in range(k):
                    if d[a] < 0.0:
                        theta = min(theta, lam[S[a]] / (-d[a]))
                if not np.isfinite(theta):  # unbounded: cannot happen on a simplex
                    break
                for a in range(k):
                    mu[a] = lam[S[a]] + theta * d[a]
                full = False
            else:
                t = np.zeros(k - 1)
                for a in range(nr):
                    by, ad = 0.0, 0.0
                    for q in range(r):
                        by += Bt[a, q] * y[q]
                    for b in range(k - 1):
                        ad += Au[b, a] * dl[b]
                    coef = by / sig[a] - ad / (sig[a] * sig[a])
                    for b in range(k - 1):
                        t[b] += Au[b, a] * coef
                ssum = 0.0
                for b in range(k - 1):
                    mu[b + 1] = t[b]
                    ssum += t[b]
                mu[0] = 1.0 - ssum
                full = True
                for a in range(k):
                    if mu[a] <= 0.0:
                        full = False
                if not full:
                    theta = 1.0
                    for a in range(k):
                        if mu[a] <= 0.0:
                            den = lam[S[a]] - mu[a]
                            if den > 0.0:
                                theta = min(theta, lam[S[a]] / den)
                    for a in range(k):
                        mu[a] = lam[S[a]] + theta * (mu[a] - lam[S[a]])
            # write back and drop the zero weights
            kk = 0
            tot = 0.0
            for a in range(k):
                i = S[a]
                lam[i] = mu[a] if mu[a] > 1e-15 else 0.0
                if lam[i] > 0.0:
                    S[kk] = i
                    kk += 1
                    tot += lam[i]
            k = kk
            for a in range(k):
                lam[S[a]] /= tot
            if full or k <= 1:
                break
    return lam


@njit(cache=True)
def _smooth(x, p, A, b, out, want_grad):
    Lh, mu, r = p[1], p[2], int(p[4])
    v = 0.0
    for i in range(x.shape[0]):
        v += 0.5 * mu * x[i] * x[i]
        if want_grad:
            out[i] = mu * x[i]
    if Lh <= 0.0:
        return v
    lam = simplex_qp(A, b, x, r)
    lin = 0.0
    for i in range(A.shape[0]):
        lin += lam[i] * b[i]
    sq = 0.0
    for q in range(r):
        w = 0.0
        for i in range(A.shape[0]):
            w += lam[i] * A[i, q]
        sq += (x[q] - w) ** 2
        if want_grad:
            out[q] += Lh * (x[q] - w)
    return v + Lh * (0.5 * sq + lin)


@njit(cache=True)
def _maxaffine(x, p, A, b, out, want_grad):
    r, snap = int(p[4]), p[5]
    best, bv = 0, -np.inf
    near, nd = -1, np.inf
    for i in range(A.shape[0]):
        v = b[i]
        dist, nx = 0.0, 0.0
        for q in range(r):
            v += A[i, q] * x[q]
            dist += (x[q] - A[i, r + q]) ** 2
            nx += A[i, r + q] ** 2
        if v > bv:
            best, bv = i, v
        if math.sqrt(dist) <= snap * (1.0 + math.sqrt(nx)) and dist < nd:
            near, nd = i, dist
    if want_grad:
        j = near if near >= 0 else best
        for q in range(x.shape[0]):
            out[q] = A[j, q] if q < r else 0.0
    return bv


@njit(cache=True)
def value(x, p, A, b):
    if p[0] == 0.0:
        return _smooth(x, p, A, b, x, False)
    return _maxaffine(x, p, A, b, x, False)


@njit(cache=True)
def grad(x, p, A, b, out):
    if p[0] == 0.0:
        _smooth(x, p, A, b, out, True)
    else:
        _maxaffine(x, p, A, b, out, True)
