"""Plugins: the user's own algorithms, function classes and noise models.

* register.py: the one registration path (``PLUGIN`` / ``PLUGINS`` of a module, spec checks),
  used by the built-ins, folder plugins and package plugins alike;
* discover.py: folder plugins, the ``*.py`` files of a catalogue folder (docs/own-method.md);
* entry_points.py: package plugins (entry-point groups ``boundcheck.algorithms``,
  ``boundcheck.functions``, ``boundcheck.noise``);
* blame.py: errors raised inside a plugin's code, re-raised naming the plugin file and line;
* conformance_algorithm.py, conformance_function.py, conformance_noise.py: the checks every
  built-in passes, run on any plugin (``boundcheck check-plugin``); battery.py picks the battery
  for a spec and finds the spec of a FILE or NAME; report.py holds the per-check result.
"""
