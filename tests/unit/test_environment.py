"""The lock file, requirements.in and environment.yml agree (two machines get the same versions)."""

from __future__ import annotations

import re

import yaml

from analysis.project import PROJECT_ROOT


def direct_requirements() -> set[str]:
    names = set()
    for line in (PROJECT_ROOT / "requirements.in").read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            names.add(re.split(r"[<>=!~\[ ]", line)[0].lower())
    return names


def locked_versions() -> dict[str, str]:
    pins = re.findall(
        r"^([A-Za-z0-9_.\-]+)==([^\s\\]+)", (PROJECT_ROOT / "requirements.lock").read_text(), re.M
    )
    return {name.lower(): version for name, version in pins}


def test_every_locked_package_has_hashes():
    text = (PROJECT_ROOT / "requirements.lock").read_text()
    blocks = re.split(r"\n(?=[A-Za-z0-9_.\-]+==)", text)
    pinned = [b for b in blocks if re.match(r"[A-Za-z0-9_.\-]+==", b)]
    assert pinned and all("--hash=sha256:" in b for b in pinned)


def test_every_direct_requirement_is_pinned_in_the_lock_file():
    locked = locked_versions()
    assert direct_requirements() - set(locked) == set()


def test_environment_yml_names_the_same_packages_at_the_locked_versions():
    env = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text())
    conda = {}
    for item in env["dependencies"]:
        if isinstance(item, str) and "=" in item and not item.startswith("python="):
            name, version = item.split("=", 1)
            conda[name.lower()] = version
    locked = locked_versions()
    assert set(conda) == direct_requirements()
    assert {name: locked[name] for name in conda} == conda
