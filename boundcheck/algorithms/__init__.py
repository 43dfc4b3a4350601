"""Algorithms, one small file each. ``PLUGINS`` maps registry names to modules (registry.py).

How to add one: docs/adding-an-algorithm.md.
"""

PLUGINS = {
    "gd": "gd",
    "ogm": "ogm",
    "sgd": "sgd",
    "clipped-sgd": "clipped_sgd",
    "subgradient": "subgradient",
    "fgm": "fgm",
    "heavy-ball": "heavy_ball",
}
