"""Algorithms, one small file each. ``PLUGINS`` maps registry names to modules (registry.py).

How to add one: docs/adding-an-algorithm.md.
"""

PLUGINS = {
    "gd": "gd",
    "gd-armijo": "gd_armijo",
    "subgradient": "subgradient",
    "sgd": "sgd",
    "clipped-sgd": "clipped_sgd",
    "nsgd": "nsgd",
    "nsgd-m": "nsgd_m",
    "sign-sgd": "sign_sgd",
    "adam": "adam",
    "amsgrad": "amsgrad",
    "rmsprop": "rmsprop",
    "adagrad-norm": "adagrad_norm",
    "fgm": "fgm",
    "ogm": "ogm",
    "heavy-ball": "heavy_ball",
    "agd-quasar": "agd_quasar",
    "polyak": "polyak",
    "dog": "dog",
    "clipped-sgd-smom": "clipped_sgd_smom",
    "sgd-epoch-avg": "sgd_epoch_avg",
    "extragradient": "extragradient",
    "optimistic-gradient": "optimistic_gradient",
    "proximal-point": "proximal_point",
    "forward-step": "forward_step",
    "forward-backward": "forward_backward",
}
