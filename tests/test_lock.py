"""The dependency locks agree with pyproject.toml (refresh them with scripts/lock)."""

import re
import tomllib

import pytest

from search_service.settings import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
LOCKS = {
    "base.txt": PYPROJECT["project"]["dependencies"],
    "dev.txt": PYPROJECT["project"]["dependencies"]
    + [d for extra in PYPROJECT["project"]["optional-dependencies"].values() for d in extra],
}
REQUIREMENT = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(==|>=|<|~=)?\s*([^;,\s]*)")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def locked(lock: str) -> dict[str, str]:
    pins = {}
    for line in (PROJECT_ROOT / "requirements" / lock).read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+)", line)
        if match:
            pins[canonical(match.group(1))] = match.group(2)
    return pins


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_dependency_is_locked_at_the_pinned_version(lock):
    pins = locked(lock)
    for requirement in LOCKS[lock]:
        name, operator, version = REQUIREMENT.match(requirement).groups()
        assert canonical(name) in pins, f"{name} is not in requirements/{lock}: run scripts/lock"
        if operator == "==":
            assert pins[canonical(name)] == version, f"{name}: run scripts/lock"


@pytest.mark.parametrize("lock", sorted(LOCKS))
def test_every_line_of_the_lock_is_an_exact_pin(lock):
    text = (PROJECT_ROOT / "requirements" / lock).read_text(encoding="utf-8")
    requirements = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    # An exact pin, with at most an environment marker (uvloop: not on Windows).
    pin = re.compile(r"^[A-Za-z0-9][\w.-]*==[^\s;]+( ; [^;]+)?$")
    loose = [line for line in requirements if not pin.match(line)]
    assert loose == []
