"""Word lists the attribution engine reads through importlib.resources (see LICENSES.md)."""
