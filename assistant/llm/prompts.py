"""Prompt files in the `prompts` package, loaded by name and rendered with $placeholders."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from string import Template

from ingest.errors import BriefingError


class PromptError(BriefingError):
    """A prompt file is missing or a variable it needs was not given."""


_PLACEHOLDER = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


@lru_cache(maxsize=32)
def load_prompt(name: str) -> str:
    path = resources.files("prompts") / f"{name}.md"
    if not path.is_file():
        available = sorted(
            p.name.removesuffix(".md")
            for p in resources.files("prompts").iterdir()
            if p.name.endswith(".md")
        )
        raise PromptError(f"no prompt file prompts/{name}.md; available: {', '.join(available)}")
    return path.read_text(encoding="utf-8")


def variables(name: str) -> set[str]:
    return {a or b for a, b in _PLACEHOLDER.findall(load_prompt(name))}


def render(name: str, **values: str) -> str:
    """Fill every $variable of prompts/<name>.md; a missing or unknown one is an error."""
    needed = variables(name)
    missing = needed - set(values)
    extra = set(values) - needed
    if missing or extra:
        raise PromptError(
            f"prompts/{name}.md needs {sorted(needed)}; missing {sorted(missing)}, "
            f"unexpected {sorted(extra)}"
        )
    return Template(load_prompt(name)).substitute(values)
