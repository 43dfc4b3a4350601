"""Rendering of results: terminal tables, JSON, Markdown, plots."""
