"""MkDocs hook: generate the list of every section on the trainers page (#alle-secties)."""

from pathlib import Path

from search_service.sections import load_sections

MARKER = "<!-- alle-secties -->"
TRAINERS_PAGE = "trainers.md"


def section_list_markdown(docs_dir: Path, mkdocs_config: Path, site_url: str) -> str:
    """A nested list: each page, and under it each section with its full stable link."""
    lines = []
    current_page = None
    for section in load_sections(docs_dir, mkdocs_config):
        if section.page_path != current_page:
            current_page = section.page_path
            lines.append(f"- **{section.page_title}**")
        link = f"{site_url}{section.url}"
        lines.append(f"    - [{section.title}]({section.page_path}#{section.id}): `{link}`")
    return "\n".join(lines) + "\n"


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != TRAINERS_PAGE or MARKER not in markdown:
        return markdown
    site_url = config.site_url or ""
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    listing = section_list_markdown(Path(config.docs_dir), Path(config.config_file_path), site_url)
    return markdown.replace(MARKER, listing)
