"""Algorithms, one small file each. ``PLUGINS`` maps registry names to modules (registry.py)."""

PLUGINS = {
    "gd": "gd",
    "ogm": "ogm",
}
