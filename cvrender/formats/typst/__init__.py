"""The Typst format: Jinja templates rendered to Typst markup, compiled by typst-py (pip only, offline)."""
