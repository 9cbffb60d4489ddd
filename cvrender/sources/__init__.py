"""Readers that turn files (YAML, JSON, JSON Resume, BibTeX) into plain data or models."""
