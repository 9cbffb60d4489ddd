"""Tools beside the build: doctor, starter profile, JSON Schema, page previews, format conversion."""
