"""The leesmap (reading list) for trainers, in headless Chromium against the real server.

A trainer puts sections in a leesmap with the "Zet in leesmap" button beside the copy buttons,
reorders and removes them on leesmap/, shares a link that holds the whole list and prints it.
The leesmap needs no search API: the section texts come from assets/sections.json, written at
build time by hooks/section_data.py.
"""

import datetime
import importlib.util
import json
import re
import time
from pathlib import Path
from urllib.parse import quote

import pytest
import yaml
from playwright.sync_api import Page, Route, expect

from search_service.sections import load_sections
from search_service.settings import PROJECT_ROOT, Settings

from .browser_support import (
    ARTIFACTS,
    AXE,
    axe_violations,
    open_tab,
    static_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SETTINGS = Settings()
SECTIONS = {s.id: s for s in load_sections(SETTINGS.docs_dir, SETTINGS.mkdocs_config)}
SITE_NAME = "Kennisbank Ambtelijk Vakmanschap"
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
          "september", "oktober", "november", "december")  # fmt: skip
FLAG_PAYLOAD = "<img src=x onerror=window.kbInjected=true>"
TITLES = ".kb-leesmap__title-text"
ITEMS = ".kb-leesmap__item"

# Six sections from three pages; the trainer adds them all, then removes the last one.
PICKS = [
    ("integriteit/geschenken/", "geschenken-aannemen"),
    ("integriteit/geschenken/", "uitnodigingen-en-reizen"),
    ("vakmanschap/dilemmas/", "ethisch-vierkant"),
    ("vakmanschap/dilemmas/", "moreel-beraad"),
    ("ambtseed/", "wat-is-de-ambtseed"),
    ("ambtseed/", "wie-legt-de-eed-af"),
]


@pytest.fixture(scope="module")
def static_site(built_site):
    with static_server(built_site) as url:
        yield url


def title(section_id: str) -> str:
    return SECTIONS[section_id].title


def toggle(page: Page, section_id: str):
    """The leesmap button next to a section's heading."""
    return page.locator(f"#{section_id}").locator(".kb-leesmap-toggle")


def shown_titles(page: Page) -> list[str]:
    return page.locator(TITLES).all_text_contents()


def item(page: Page, section_id: str):
    return page.locator(f"{ITEMS}[data-id='{section_id}']")


def dutch_today() -> str:
    today = datetime.date.today()
    return f"{today.day} {MONTHS[today.month - 1]} {today.year}"


def citation(base_url: str, section_id: str) -> str:
    url = f"{base_url}/{SECTIONS[section_id].url}"
    source = f"{SITE_NAME}, geraadpleegd op {dutch_today()}"
    return f"Bronvermelding: {title(section_id)} — {source} — {url}"


def open_leesmap(page: Page, address: str) -> None:
    page.goto(address)
    expect(page.locator("#kb-leesmap")).to_have_attribute("aria-busy", "false")


def with_moved_entry(moved: dict[str, str]):
    """Serves sections.json with extra moved IDs, as section-ids.yml's moved_to would make."""

    def handler(route: Route) -> None:
        response = route.fetch()
        data = response.json()
        data["moved"].update(moved)
        route.fulfill(response=response, body=json.dumps(data))

    return handler


# --- The trainer's whole flow -----------------------------------------------------------------


def test_trainer_builds_shares_opens_and_prints_a_five_section_leesmap_in_under_a_minute(
    browser, tab, live_server
):
    page = tab.page
    started = time.perf_counter()

    # Add six sections from three pages: by mouse, and every other one by keyboard.
    current = None
    for number, (path, section_id) in enumerate(PICKS):
        if path != current:
            tab.goto(path)
            current = path
        button = toggle(page, section_id)
        expect(button).to_have_accessible_name("Zet in leesmap")
        if number % 2:
            button.focus()
            page.keyboard.press("Enter")
        else:
            page.locator(f"#{section_id}").hover()
            button.click()
        expect(button).to_have_accessible_name("Haal uit leesmap")
        count = "1 sectie" if number == 0 else f"{number + 1} secties"
        expect(page.get_by_role("status").filter(has_text="staat in de leesmap")).to_have_text(
            f"{title(section_id)} staat in de leesmap. De leesmap heeft nu {count}."
        )

    # To the leesmap through the navigation.
    page.locator(".md-nav--primary").get_by_role("link", name="Leesmap", exact=True).click()
    page.wait_for_url("**/leesmap/")
    expect(page.locator(TITLES)).to_have_count(6)
    ids = [section_id for _, section_id in PICKS]
    assert shown_titles(page) == [title(i) for i in ids]

    # "Wat is de ambtseed?" two places up, by keyboard: focus stays on its button.
    up = item(page, "wat-is-de-ambtseed").get_by_role("button", name=re.compile("^Omhoog"))
    up.focus()
    page.keyboard.press("Enter")
    expect(up).to_be_focused()
    page.keyboard.press("Enter")
    expect(up).to_be_focused()
    ids.remove("wat-is-de-ambtseed")
    ids.insert(2, "wat-is-de-ambtseed")
    # The first section one place down, by mouse.
    item(page, "geschenken-aannemen").get_by_role(
        "button", name=f"Omlaag: {title('geschenken-aannemen')}"
    ).click()
    ids[0:2] = ids[1::-1]
    # The sixth section out again.
    item(page, "wie-legt-de-eed-af").get_by_role(
        "button", name=f"Verwijderen: {title('wie-legt-de-eed-af')}"
    ).click()
    ids.remove("wie-legt-de-eed-af")
    assert len(ids) == 5
    assert shown_titles(page) == [title(i) for i in ids]
    expect(page.locator(".kb-leesmap__summary")).to_have_text("In deze leesmap: 5 secties.")

    # Share: the link holds the list, in order.
    page.get_by_role("button", name="Deel deze leesmap").click()
    expect(page.locator(".kb-leesmap__done")).to_have_text("Link gekopieerd")
    link = page.evaluate("navigator.clipboard.readText()")
    assert link == f"{live_server.url}/leesmap/?s={','.join(ids)}"
    expect(page.get_by_label("Link naar deze leesmap")).to_have_value(link)

    # A fresh browser context (no storage, no history) opens the link: the same leesmap.
    with open_tab(browser, live_server.url) as fresh:
        reader = fresh.page
        open_leesmap(reader, link)
        assert shown_titles(reader) == [title(i) for i in ids]
        expect(reader.locator(".kb-leesmap__notice")).to_contain_text("Gedeelde leesmap")
        for section_id in ids:
            shown = item(reader, section_id)
            expect(shown.locator(".kb-leesmap__citation")).to_have_text(
                citation(live_server.url, section_id)
            )
            expect(shown.locator("a.kb-leesmap__url")).to_have_attribute(
                "href", f"{live_server.url}/{SECTIONS[section_id].url}"
            )
            # The full text, not an excerpt: every paragraph and list item of the section.
            for paragraph in SECTIONS[section_id].paragraphs:
                expect(shown.locator(".kb-leesmap__text")).to_contain_text(paragraph)

        # "Afdrukken" opens the browser's print dialog.
        reader.evaluate(
            "() => { window.print = () => { window.kbPrinted = 1 + (window.kbPrinted || 0) } }"
        )
        reader.get_by_role("button", name="Afdrukken").click()
        assert reader.evaluate("window.kbPrinted") == 1

        # The print view: no navigation or buttons, link addresses written out.
        reader.emulate_media(media="print")
        for hidden in (
            ".md-header",
            ".md-sidebar--primary",
            ".md-sidebar--secondary",
            ".md-footer",
        ):
            expect(reader.locator(hidden)).to_be_hidden()
        expect(
            reader.get_by_role("button", name=re.compile("Deel deze leesmap|Omhoog"))
        ).to_have_count(0)
        expect(reader.locator(".kb-leesmap__notice")).to_be_hidden()
        expect(reader.locator(".kb-leesmap__citation").first).to_be_visible()
        text_link = item(reader, "geschenken-aannemen").locator(".kb-leesmap__text a").first
        after = text_link.evaluate("a => getComputedStyle(a, '::after').content")
        address = text_link.get_attribute("href")
        assert address.startswith(f"{live_server.url}/")
        assert after == f'" ({address})"'  # written out after the link text
        citation_link = reader.locator("a.kb-leesmap__url").first
        assert citation_link.evaluate("a => getComputedStyle(a, '::after').content") == "none"
        breaks = reader.locator(ITEMS).first.evaluate("n => getComputedStyle(n).breakInside")
        assert breaks == "avoid"
        ARTIFACTS.mkdir(exist_ok=True)
        pdf = ARTIFACTS / "leesmap.pdf"
        reader.pdf(path=pdf, format="A4")
        assert pdf.stat().st_size > 10_000
        assert fresh.unexpected_errors() == []

    elapsed = time.perf_counter() - started
    report = f"leesmap flow (6 added, 2 moved, 1 removed, shared, opened, printed): {elapsed:.1f} s"
    (ARTIFACTS / "leesmap-flow.txt").write_text(report + "\n", encoding="utf-8")
    print(report)
    assert elapsed < 60


# --- Keyboard ---------------------------------------------------------------------------------


def test_leesmap_button_by_keyboard_after_the_copy_buttons(tab):
    tab.goto("integriteit/geschenken/")
    heading = tab.page.locator("h2#geschenken-aannemen")
    heading.get_by_role("button", name="Kopieer de link naar deze sectie").focus()
    tab.page.keyboard.press("Tab")
    expect(
        heading.get_by_role("button", name="Kopieer een bronvermelding van deze sectie")
    ).to_be_focused()
    tab.page.keyboard.press("Tab")
    button = heading.get_by_role("button", name="Zet in leesmap")
    expect(button).to_be_focused()
    expect(heading.locator(".kb-copy")).to_have_css("opacity", "1")  # shown on focus
    tab.page.keyboard.press("Enter")
    expect(heading.get_by_role("button", name="Haal uit leesmap")).to_be_focused()
    expect(heading.locator(".kb-leesmap-toggle__done")).to_have_text("In leesmap (1)")
    assert tab.page.evaluate("localStorage.getItem('kennisbank-leesmap')") == json.dumps(
        ["geschenken-aannemen"]
    )
    tab.page.keyboard.press("Space")
    expect(heading.get_by_role("button", name="Zet in leesmap")).to_be_focused()
    expect(tab.page.get_by_role("status").filter(has_text="uit de leesmap")).to_contain_text(
        "Geschenken en cadeaus aannemen is uit de leesmap gehaald. De leesmap heeft nu 0 secties."
    )
    assert tab.page.evaluate("localStorage.getItem('kennisbank-leesmap')") == "[]"
    # The copy buttons still copy.
    heading.get_by_role("button", name="Kopieer de link naar deze sectie").focus()
    tab.page.keyboard.press("Enter")
    expect(heading.locator(".kb-copy__done")).to_have_text("Gekopieerd")


def test_reorder_and_remove_by_keyboard_keep_focus_and_announce(tab):
    ids = ["ethisch-vierkant", "moreel-beraad", "geschenken-aannemen"]
    tab.goto("leesmap/")
    tab.page.evaluate(f"localStorage.setItem('kennisbank-leesmap', '{json.dumps(ids)}')")
    open_leesmap(tab.page, tab.page.url)
    keyboard = tab.page.keyboard
    status = tab.page.get_by_role("status").filter(has_text="plaats")

    first_up = item(tab.page, "ethisch-vierkant").get_by_role("button", name=re.compile("^Omhoog"))
    expect(first_up).to_have_attribute("aria-disabled", "true")
    down = item(tab.page, "ethisch-vierkant").get_by_role(
        "button", name=f"Omlaag: {title('ethisch-vierkant')}"
    )
    down.focus()
    keyboard.press("Enter")
    expect(down).to_be_focused()
    expect(status).to_have_text(f"{title('ethisch-vierkant')} staat nu op plaats 2 van 3.")
    assert shown_titles(tab.page) == [
        title(i) for i in ["moreel-beraad", "ethisch-vierkant", "geschenken-aannemen"]
    ]

    keyboard.press("Shift+Tab")  # to its Omhoog button
    keyboard.press("Enter")
    assert shown_titles(tab.page) == [title(i) for i in ids]
    keyboard.press("Tab")
    keyboard.press("Tab")  # past Omlaag to Verwijderen
    expect(
        item(tab.page, "ethisch-vierkant").get_by_role("button", name=re.compile("^Verwijderen"))
    ).to_be_focused()
    keyboard.press("Enter")
    assert shown_titles(tab.page) == [title("moreel-beraad"), title("geschenken-aannemen")]
    # Focus moves to the section that took its place.
    expect(
        item(tab.page, "moreel-beraad").get_by_role("button", name=re.compile("^Verwijderen"))
    ).to_be_focused()
    expect(tab.page.get_by_role("status").filter(has_text="uit de leesmap")).to_have_text(
        f"{title('ethisch-vierkant')} is uit de leesmap gehaald. Er staan nog 2 secties in."
    )
    assert json.loads(tab.page.evaluate("localStorage.getItem('kennisbank-leesmap')")) == [
        "moreel-beraad",
        "geschenken-aannemen",
    ]
    # The list survives a reload: it is kept in the browser.
    tab.page.reload()
    expect(tab.page.locator(TITLES)).to_have_count(2)
    assert shown_titles(tab.page) == [title("moreel-beraad"), title("geschenken-aannemen")]


# --- Shared links -----------------------------------------------------------------------------


def test_shared_link_resolves_moved_ids_and_names_unknown_ones(tab, live_server):
    dialogs: list[str] = []
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    tab.page.route(
        "**/assets/sections.json", with_moved_entry({"oude-geschenkenregel": "geschenken-aannemen"})
    )
    shared = ["oude-geschenkenregel", "bestaat-niet", "ethisch-vierkant", FLAG_PAYLOAD]
    open_leesmap(tab.page, f"{live_server.url}/leesmap/?s={','.join(quote(i) for i in shared)}")

    assert shown_titles(tab.page) == [
        title("geschenken-aannemen"),
        "Onbekende sectie: bestaat-niet",
        title("ethisch-vierkant"),
        f"Onbekende sectie: {FLAG_PAYLOAD}",
    ]
    moved = item(tab.page, "geschenken-aannemen")
    expect(moved.locator(".kb-leesmap__moved")).to_contain_text("oude-geschenkenregel")
    expect(moved.locator(".kb-leesmap__citation")).to_have_text(
        citation(live_server.url, "geschenken-aannemen")
    )
    unknown = item(tab.page, "bestaat-niet")
    expect(unknown.locator(".kb-leesmap__unknown")).to_contain_text("bestaat niet (meer)")
    expect(unknown.get_by_role("link", name="lijst van alle secties")).to_have_attribute(
        "href", f"{live_server.url}/trainers/#alle-secties"
    )
    expect(tab.page.locator(".kb-leesmap__summary")).to_have_text(
        "In deze leesmap: 4 secties, waarvan 2 onbekend."
    )
    tab.page.wait_for_timeout(300)  # time for a broken image's onerror, were there one
    assert tab.page.locator("#kb-leesmap img").count() == 0
    assert tab.page.evaluate("window.kbInjected") is None
    assert dialogs == []

    # An unknown ID can be removed; sharing again gives the new IDs.
    unknown.get_by_role("button", name="Verwijderen: Onbekende sectie: bestaat-niet").click()
    tab.page.get_by_role("button", name="Deel deze leesmap").click()
    link = tab.page.get_by_label("Link naar deze leesmap").input_value()
    kept = ["geschenken-aannemen", "ethisch-vierkant", quote(FLAG_PAYLOAD, safe="")]
    assert link == f"{live_server.url}/leesmap/?s={','.join(kept)}"
    # Edits to a shared leesmap stay in its address, not in the reader's own leesmap ...
    assert tab.page.url == link
    assert tab.page.evaluate("localStorage.getItem('kennisbank-leesmap')") is None
    # ... until the reader keeps it.
    tab.page.get_by_role("button", name="Bewaar als mijn leesmap").click()
    expect(tab.page.locator(".kb-leesmap__notice")).to_have_count(0)
    assert tab.page.url == f"{live_server.url}/leesmap/"
    assert json.loads(tab.page.evaluate("localStorage.getItem('kennisbank-leesmap')")) == [
        "geschenken-aannemen",
        "ethisch-vierkant",
        FLAG_PAYLOAD,
    ]


def test_empty_leesmap_says_how_to_fill_it(tab):
    tab.goto("leesmap/")
    empty = tab.page.locator(".kb-leesmap__empty")
    expect(empty).to_contain_text("Je leesmap is nog leeg.")
    expect(tab.page.get_by_role("button", name="Deel deze leesmap")).to_have_count(0)
    tab.goto("leesmap/?s=")
    expect(empty).to_have_text("Deze gedeelde leesmap is leeg.")


# --- Without the search API -------------------------------------------------------------------


def test_leesmap_works_when_the_api_is_down(tab, live_server):
    api_requests: list[str] = []

    def down(route: Route) -> None:
        api_requests.append(route.request.url)
        route.abort("connectionrefused")

    tab.allow_console_error(r"/api/")
    tab.page.context.route("**/api/**", down)
    tab.goto("beleidskompas/")
    toggle(tab.page, "vijf-stappen-beleidskompas").click()
    tab.goto("sturing/")
    toggle(tab.page, "publieke-waarde").click()
    open_leesmap(tab.page, f"{live_server.url}/leesmap/")
    assert shown_titles(tab.page) == [title("vijf-stappen-beleidskompas"), title("publieke-waarde")]
    for section_id in ("vijf-stappen-beleidskompas", "publieke-waarde"):
        expect(item(tab.page, section_id).locator(".kb-leesmap__text")).to_contain_text(
            SECTIONS[section_id].paragraphs[-1]
        )
    assert api_requests == []  # nothing on these pages asked the API


def test_shared_link_works_on_the_static_site_without_any_api(browser, static_site):
    with open_tab(browser, static_site) as tab:
        tab.allow_console_error(r"/api/")
        open_leesmap(tab.page, f"{static_site}/leesmap/?s=wat-is-de-ambtseed,ethisch-vierkant")
        assert shown_titles(tab.page) == [title("wat-is-de-ambtseed"), title("ethisch-vierkant")]
        expect(item(tab.page, "ethisch-vierkant").locator(".kb-leesmap__citation")).to_have_text(
            citation(static_site, "ethisch-vierkant")
        )
        assert tab.unexpected_errors() == []


# --- Accessibility ----------------------------------------------------------------------------


def settled_axe_violations(page: Page) -> list[str]:
    """axe's serious and critical findings once the theme's transitions have ended (a jump to
    the top fades the header title and the back-to-top button, and half-faded text fails the
    contrast check)."""
    page.wait_for_function("() => document.getAnimations().every(a => a.playState !== 'running')")
    return axe_violations(page)


def test_axe_finds_no_serious_problems_on_the_leesmap_pages(tab, live_server):
    assert AXE.exists(), "run `npm ci` first: axe-core is missing"
    problems = []
    tab.goto("leesmap/")  # empty
    expect(tab.page.locator(".kb-leesmap__empty")).to_be_visible()
    problems += [f"empty: {line}" for line in settled_axe_violations(tab.page)]

    tab.page.route("**/assets/sections.json", with_moved_entry({"oud-id": "moreel-beraad"}))
    open_leesmap(tab.page, f"{live_server.url}/leesmap/?s=oud-id,geschenken-aannemen,bestaat-niet")
    tab.page.get_by_role("button", name="Deel deze leesmap").click()
    expect(tab.page.get_by_label("Link naar deze leesmap")).to_be_visible()
    item(tab.page, "geschenken-aannemen").get_by_role("button", name=re.compile("^Omhoog")).focus()
    problems += [f"shared: {line}" for line in settled_axe_violations(tab.page)]

    tab.page.get_by_role("button", name="Bewaar als mijn leesmap").click()
    problems += [f"own: {line}" for line in settled_axe_violations(tab.page)]

    tab.goto("integriteit/geschenken/")
    toggle(tab.page, "geschenken-aannemen").focus()
    tab.page.keyboard.press("Enter")
    problems += [f"button: {line}" for line in settled_axe_violations(tab.page)]
    assert problems == []


# --- The data file --------------------------------------------------------------------------


def test_sections_json_has_every_section_and_the_moved_ids(built_site: Path):
    data = json.loads((built_site / "assets" / "sections.json").read_text(encoding="utf-8"))
    assert data["site_name"] == SITE_NAME
    shown = {entry["id"]: entry for entry in data["sections"]}
    assert list(shown) == list(SECTIONS)
    for section_id, section in SECTIONS.items():
        entry = shown[section_id]
        assert entry["url"] == section.url
        assert entry["title"] == section.title
        assert entry["page_title"] == section.page_title
        assert entry["breadcrumb"] == section.breadcrumb
        assert entry["short_answer"] == section.short_answer
        assert section.paragraphs[0].split()[0] in entry["html"], section_id
        assert not re.search(
            r"<(script|button|svg|img|h[1-3])\b|headerlink|\son\w+=", entry["html"]
        )
    registry = yaml.safe_load((PROJECT_ROOT / "section-ids.yml").read_text(encoding="utf-8"))
    moved = {e["id"]: e["moved_to"] for e in registry["sections"] if e.get("moved_to")}
    assert data["moved"] == moved


def section_data_hook():
    spec = importlib.util.spec_from_file_location(
        "section_data", PROJECT_ROOT / "hooks" / "section_data.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_section_text_is_rebuilt_from_an_allow_list():
    hook = section_data_hook()
    page = (
        '<h1 id="p">Pagina</h1><p>Intro</p>'
        '<h2 id="een">Een<a class="headerlink" href="#een">¶</a></h2>'
        '<p class="x" onclick="bad()">Tekst &lt;b&gt; met <a href="../andere/#twee" '
        'onmouseover="bad()">link</a>, <a href="javascript:bad()">kwaad</a> en '
        '<a href="https://example.org/?a=1&amp;b=2">buiten</a>.</p>'
        "<script>bad()</script><img src=x onerror=bad()><button>Knop</button>"
        '<div class="admonition example"><p class="admonition-title">Voorbeeld</p><p>Ja</p></div>'
        '<details class="tip"><summary>Meer</summary><p>Open</p></details>'
        '<h3 id="twee">Twee</h3><ul><li><strong>Vet</strong></li></ul>'
        "<h2 id='drie'>Drie</h2><div><p>Niet gesloten"
    )
    sections = hook.split_sections(page, "map/pagina/")
    assert sections == {
        "een": (
            '<p>Tekst &lt;b&gt; met <a href="map/andere/#twee">link</a>, kwaad en '
            '<a href="https://example.org/?a=1&amp;b=2">buiten</a>.</p>'
            '<div class="admonition example"><p class="admonition-title">Voorbeeld</p>'
            "<p>Ja</p></div>"
            '<div class="admonition tip"><p class="admonition-title">Meer</p><p>Open</p></div>'
        ),
        "twee": "<ul><li><strong>Vet</strong></li></ul>",
        "drie": "<p>Niet gesloten</p>",
    }
