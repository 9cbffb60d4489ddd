"""Output formats, one package per format (templates' escaping, Jinja environment, engine)."""
