"""Jinja2 templates of the briefing (a package, so the wheel ships them)."""
