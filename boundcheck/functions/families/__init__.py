"""numba kernels shared by several function classes (a quadratic is convex, strongly convex,
nonconvex-smooth and PL at once). Every family has the fixed kernel signature
``value(x, p, A, b) -> float`` and ``grad(x, p, A, b, out)``; see functions/base.py."""
