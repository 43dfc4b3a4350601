"""Function classes, one file each. ``PLUGINS`` maps registry names to modules (registry.py)."""

PLUGINS = {
    "smooth-convex": "smooth_convex",
    "smooth-strongly-convex": "smooth_strongly_convex",
    "l0l1-smooth": "l0l1_smooth",
    "smooth-nonconvex": "smooth_nonconvex",
    "pl": "pl",
    "quasar-convex": "quasar_convex",
    "convex-lipschitz": "convex_lipschitz",
    "monotone": "monotone",
    "strongly-monotone": "strongly_monotone",
    "lipschitz-monotone": "lipschitz_monotone",
    "cocoercive": "cocoercive",
    "comonotone": "comonotone",
}
