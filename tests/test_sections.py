"""Markdown → sections: IDs, URLs, breadcrumbs and plain text."""

import pytest

from search_service.sections import (
    ContentError,
    Fact,
    heading_ids_of_site,
    load_sections,
    page_url,
    sections_of_page,
)

from .support import FIXTURES


@pytest.fixture
def tiny_sections():
    return {s.id: s for s in load_sections(FIXTURES / "tiny_docs", FIXTURES / "tiny_mkdocs.yml")}


def test_one_section_per_h2_and_h3(tiny_sections):
    assert list(tiny_sections) == ["over-site", "eed", "geschenken", "kerstpakket", "uitnodigingen"]


@pytest.mark.parametrize(
    ("page_path", "url"),
    [
        ("index.md", ""),
        ("trainers.md", "trainers/"),
        ("integriteit/index.md", "integriteit/"),
        ("integriteit/geschenken.md", "integriteit/geschenken/"),
    ],
)
def test_page_url_matches_mkdocs_directory_urls(page_path, url):
    assert page_url(page_path) == url


def test_section_url_is_page_url_with_anchor(tiny_sections):
    assert tiny_sections["over-site"].url == "#over-site"
    assert tiny_sections["geschenken"].url == "thema/geschenken/#geschenken"


def test_breadcrumb_follows_nav_page_and_parent_heading(tiny_sections):
    assert tiny_sections["geschenken"].breadcrumb == (
        "Thema › Geschenken en uitnodigingen › Geschenken aannemen"
    )
    assert tiny_sections["kerstpakket"].breadcrumb == (
        "Thema › Geschenken en uitnodigingen › Geschenken aannemen › Kerstpakketten"
    )
    assert tiny_sections["over-site"].breadcrumb == "Mini-kennisbank › Over deze site"


def test_text_has_no_markdown_syntax(tiny_sections):
    text = tiny_sections["over-site"].text
    assert text == (
        "Deze site is een klein voorbeeld met een link en code. "
        "Een tweede regel in dezelfde alinea."
    )


def test_admonition_body_and_list_items_kept_title_and_html_dropped(tiny_sections):
    geschenken = tiny_sections["geschenken"]
    assert "De grens voor een geschenk is vijftig euro." in geschenken.paragraphs
    assert "Nooit op je huisadres." in geschenken.paragraphs
    assert "Kernregel" not in geschenken.text
    assert "html" not in tiny_sections["uitnodigingen"].text


def test_front_matter_and_intro_are_not_section_text(tiny_sections):
    assert all("description" not in s.text for s in tiny_sections.values())
    assert all("Inleiding" not in s.text for s in tiny_sections.values())


@pytest.mark.parametrize(
    "facts",
    [
        "- een losse zin",
        "- answer: Zonder vragen.",
        "- answer: Vragen als tekst.\n  questions: Mag dat",
        "- questions: [Zonder antwoord]",
    ],
)
def test_a_fact_without_an_answer_and_a_list_of_questions_is_an_error(facts):
    page = (
        "---\nsections:\n  eed:\n    facts:\n      "
        + facts.replace("\n", "\n      ")
        + "\n---\n# T {#t}\n\n## De eed {#eed}\n\nTekst.\n"
    )
    with pytest.raises(ContentError, match=r"sections\.eed\.facts"):
        sections_of_page(page, "x.md", [])


def test_facts_are_read_with_their_questions():
    page = (
        "---\nsections:\n  eed:\n    facts:\n      - answer: >-\n          De eed duurt\n"
        "          kort.\n        questions:\n          - Hoe lang duurt de eed?\n"
        "---\n# T {#t}\n\n## De eed {#eed}\n\nTekst.\n"
    )
    (section,) = sections_of_page(page, "x.md", [])
    assert section.facts == (Fact("De eed duurt kort.", ("Hoe lang duurt de eed?",)),)
    assert section.written_questions == ("Hoe lang duurt de eed?",)


def test_heading_without_id_is_an_error_naming_file_and_line():
    with pytest.raises(ContentError, match=r"x\.md:3: heading 'Zonder ID' has no explicit ID"):
        sections_of_page("# T {#t}\n\n## Zonder ID\n\nTekst.\n", "x.md", [])


def test_duplicate_id_in_site_is_an_error(tmp_path):
    (tmp_path / "a.md").write_text("# A {#a}\n\n## Een {#dubbel}\n")
    (tmp_path / "b.md").write_text("# B {#b}\n\n## Twee {#dubbel}\n")
    with pytest.raises(ContentError, match=r"'dubbel' is already used in a\.md"):
        heading_ids_of_site(tmp_path)


def test_real_docs_have_an_explicit_unique_id_on_every_heading():
    from search_service.settings import Settings

    settings = Settings()
    ids = heading_ids_of_site(settings.docs_dir)
    assert len(ids) > 50


def test_paragraphs_in_example_admonitions_are_marked(tiny_sections):
    geschenken = tiny_sections["geschenken"]
    examples = [geschenken.paragraphs[i] for i in geschenken.example_paragraphs]
    assert examples == ["Een leverancier stuurt je een fles wijn van honderd euro."]
