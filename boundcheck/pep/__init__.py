"""Performance estimation (PEP): worst cases of first-order methods as SDPs over Gram matrices.

Modules: ``symbolic`` (Gram vectors and linear forms), ``lift`` (local forms -> sparse rows),
``driver`` (runs an algorithm file on symbolic points), ``build`` (conditions, measures and initial
conditions -> ``problem.PEPProblem``), ``solve`` (cvxpy + Clarabel/SCS, duals, cutting planes),
``closed_forms`` (known exact values). cvxpy is imported only inside ``solve``.
"""
