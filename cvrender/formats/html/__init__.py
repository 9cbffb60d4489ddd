"""The HTML format: Jinja with HTML autoescaping, compiled by WeasyPrint."""
