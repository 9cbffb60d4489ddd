"""SELECT + CONTEXT: a validated Profile and the build options -> a frozen RenderContext."""
