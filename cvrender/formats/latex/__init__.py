"""The LaTeX format: Jinja with brace-friendly delimiters and LaTeX escaping, compiled by a TeX engine."""
