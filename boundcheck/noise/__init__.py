"""Noise models, one file each. ``PLUGINS`` maps registry names to modules (registry.py)."""

PLUGINS = {
    "gaussian": "gaussian",
}
