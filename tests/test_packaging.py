"""Packaging: the lock files cover every declared dependency (regenerate with `make lock`)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _name(requirement: str) -> str:
    return re.split(r"[\s\[<>=!~;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _locked(path: Path) -> set[str]:
    names = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^([A-Za-z0-9_.\-]+)==", line)
        if m:
            names.add(m.group(1).lower().replace("_", "-"))
    return names


def test_every_dependency_is_pinned_in_the_lock_files() -> None:
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    run = _locked(REPO / "requirements" / "run.lock")
    test = _locked(REPO / "requirements" / "test.lock")
    runtime = {_name(r) for r in project["dependencies"]}
    extras = {_name(r) for group in project["optional-dependencies"].values() for r in group}
    assert runtime - run == set(), "run.lock is stale: make lock"
    assert (runtime | extras) - test == set(), "test.lock is stale: make lock"
    # make run installs no test tools and no llama.cpp
    assert not {"pytest", "llama-cpp-python", "playwright"} & run


def test_lock_files_pin_with_hashes() -> None:
    for name in ("run.lock", "test.lock"):
        text = (REPO / "requirements" / name).read_text(encoding="utf-8")
        pins = re.findall(r"^[A-Za-z0-9_.\-]+==\S+", text, flags=re.M)
        assert pins and text.count("--hash=sha256:") >= len(pins), name
