"""MkDocs hook: show each section's short answer (page front matter) under its heading.

The search service answers with the same text, so a reader who follows an answer card finds
it again on the page, and a reader who browses gets the answer before the explanation.
"""

import re

# `## Titel {#id}` or `### Titel {#id}`: the headings that are sections (sections.py).
SECTION_HEADING = re.compile(r"^#{2,3} .*\{\s*#([A-Za-z][\w-]*)[^}]*\}[ \t]*$", re.MULTILINE)
BOX_TITLE = "Kort antwoord"


def with_short_answers(markdown: str, guides: dict) -> str:
    def add_box(heading: re.Match) -> str:
        guide = guides.get(heading.group(1)) or {}
        answer = " ".join(str(guide.get("short_answer") or "").split())
        if not answer:
            return heading.group(0)
        return f'{heading.group(0)}\n\n!!! abstract "{BOX_TITLE}"\n    {answer}\n'

    return SECTION_HEADING.sub(add_box, markdown)


def on_page_markdown(markdown, page, config, files):
    return with_short_answers(markdown, page.meta.get("sections") or {})
