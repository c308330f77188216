"""MkDocs hook: show each section's short answer (page front matter) under its heading.

The search service answers with the same text, so a reader who follows an answer card finds
it again on the page, and a reader who browses gets the answer before the explanation.
"""

from search_service.sections import under_section_headings

BOX_TITLE = "Kort antwoord"


def with_short_answers(markdown: str, guides: dict) -> str:
    def box(section_id: str) -> str | None:
        guide = guides.get(section_id) or {}
        answer = " ".join(str(guide.get("short_answer") or "").split())
        return f'!!! abstract "{BOX_TITLE}"\n    {answer}' if answer else None

    return under_section_headings(markdown, box)


def on_page_markdown(markdown, page, config, files):
    return with_short_answers(markdown, page.meta.get("sections") or {})
