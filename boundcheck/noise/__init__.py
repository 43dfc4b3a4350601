"""Noise models, one file each. ``PLUGINS`` maps registry names to modules (registry.py)."""

PLUGINS = {
    "gaussian": "gaussian",
    "student-t": "student_t",
    "pareto": "pareto",
    "stable": "stable",
    "rare-spike": "rare_spike",
    "affine-variance": "affine_variance",
    "sphere": "sphere",
    "one-sided-pareto": "one_sided_pareto",
}
