"""Readers for the content contract: the outline, the oath formulas, the ID registry."""

import re
from pathlib import Path

from search_service.sections import safe_yaml
from search_service.settings import PROJECT_ROOT

from .support import REFERENCE

OUTLINE = REFERENCE / "outline.md"
OATH_FORMULAS = REFERENCE / "oath-formulas.md"
REGISTRY = PROJECT_ROOT / "section-ids.yml"


def outline_ids() -> dict[str, str]:
    """Section ID → page path, from the original outline."""
    ids: dict[str, str] = {}
    page = None
    for line in OUTLINE.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^## .*: `([^`]+\.md)`", line)
        if heading:
            page = heading.group(1)
            continue
        item = re.match(r"^- `#([\w-]+)`", line)
        if item and page:
            ids[item.group(1)] = page
    return ids


def oath_formula(heading_prefix: str) -> str:
    """The verbatim oath text in the code block under a heading of facts.md §C, e.g. '### C.1'."""
    text = OATH_FORMULAS.read_text(encoding="utf-8")
    start = text.index(heading_prefix)
    block = re.search(r"```\n(.*?)```", text[start:], re.DOTALL)
    return normalise(block.group(1))


def normalise(text: str) -> str:
    """Compare wording only: bullets, list markers and line breaks are layout, not text."""
    text = text.replace("•", " ")
    return re.sub(r"\s+", " ", text).strip()


def registry() -> list[dict]:
    return safe_yaml(REGISTRY.read_text(encoding="utf-8"))["sections"]


def front_matter(path: Path) -> dict:
    match = re.match(r"^---\n(.*?)\n---\n", path.read_text(encoding="utf-8"), re.DOTALL)
    return safe_yaml(match.group(1)) if match else {}
