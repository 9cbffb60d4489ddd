"""Output formats: one package per format (a backend that renders source, an engine that compiles it)
and the registry that finds them (:mod:`cvrender.formats.registry`)."""
