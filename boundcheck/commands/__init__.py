"""CLI commands, one module each (click). cli.py loads them lazily by name."""
