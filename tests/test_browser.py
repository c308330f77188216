"""The site's search box and copy-link buttons as users meet them, in headless Chromium.

Against the real server (site at /, API at /api) and, for the fallback, the built site from a
plain file server without any API.
"""

import json
import re
import sqlite3
import statistics
import time
from urllib.parse import urljoin
from xml.etree import ElementTree

import httpx
import pytest
from playwright.sync_api import Route, expect

from search_service.sections import load_sections
from search_service.settings import Settings

from .browser_support import (
    ANSWER,
    API_LINKS,
    ARTIFACTS,
    AXE,
    NOTICE,
    QUERY,
    RESULTS,
    Tab,
    axe_violations,
    open_tab,
    search_in_box,
    static_server,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# A spread over the site's pages, a one-word query, and all English questions of the dev set.
SAMPLE = ["d03", "d08", "d10", "d15", "d20", "d23", "d28", "d30", "d33", "d41", "d46", "d50"]
ENGLISH = ["d47", "d48", "d49"]
GIFT_QUESTION = "Mag ik een kerstpakket van een leverancier aannemen?"
PAYLOAD = "<img src=x onerror=alert(1)>"
FLAG_PAYLOAD = "<img src=x onerror=window.kbInjected=true>"
API_ERROR = r"/api/search\?"


@pytest.fixture(scope="module", autouse=True)
def warm_api(live_server):
    """One search before the browser's first: the model's first query is the slowest."""
    httpx.get(f"{live_server.url}/api/search", params={"q": "warm"}, timeout=30)


@pytest.fixture(scope="module")
def static_site(built_site):
    with static_server(built_site) as url:
        yield url


def section_url(section_id: str) -> str:
    """The site-relative URL the search API gives this section."""
    settings = Settings()
    sections = load_sections(settings.docs_dir, settings.mkdocs_config)
    return next(s.url for s in sections if s.id == section_id)


# --- Search box -----------------------------------------------------------------------------


def test_dev_questions_show_the_expected_section_in_the_top_three(tab, live_server, dev_questions):
    questions = [q for q in dev_questions if q["id"] in SAMPLE + ENGLISH]
    assert len(questions) == len(SAMPLE + ENGLISH)
    tab.goto("")
    shown = []
    for question in questions:
        shown.append((question, search_in_box(tab.page, question["q"])))

    latencies = [result.latency_ms for _, result in shown]
    report = [f"median {statistics.median(latencies):.0f} ms from last keystroke to results"]
    report += [
        f"{q['id']} {r.latency_ms:6.0f} ms {r.source:8} {'retried ' if r.retried else ''}"
        f"{r.section_ids[:3]} {q['q']}"
        for q, r in shown
    ]
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "search-latency.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    print("\n".join(report))

    misses = [
        f"{q['id']} {q['q']!r}: expected {q['expect']}, top 3 {r.section_ids[:3]} ({r.source})"
        for q, r in shown
        if not set(q["expect"]) & set(r.section_ids[:3])
    ]
    assert misses == []
    assert statistics.median(latencies) < 1500


def test_answer_card_link_lands_on_the_section(tab):
    tab.goto("vakmanschap/")
    search_in_box(tab.page, GIFT_QUESTION)
    card = tab.page.locator(ANSWER)
    expect(card).to_be_visible()
    expect(card.locator(".kb-answer__label")).to_have_text("Antwoord")
    # The short answer, and the statement or fact after it as a paragraph of its own.
    expect(card.locator(".kb-answer__text")).to_have_count(2)
    expect(card.locator(".kb-answer__text").first).to_contain_text("50 euro")
    assert ":~:text=" in card.get_attribute("href")  # the browser marks the passage
    ARTIFACTS.mkdir(exist_ok=True)
    tab.page.screenshot(path=ARTIFACTS / "search-box.png")

    passage = card.locator(".kb-answer__text").first.text_content()

    card.click()
    tab.page.wait_for_function("() => location.hash === '#geschenken-aannemen'")
    assert tab.page.url.split("#")[0].endswith("/integriteit/geschenken/")
    expect(tab.page.locator("#__search")).not_to_be_checked()
    # The text fragment scrolls to the passage, which lies inside the section.
    shown = tab.page.locator(".md-content p", has_text=passage)
    expect(shown).to_be_in_viewport()
    assert shown.evaluate(
        """p => {
            const before = (a, b) => (a.compareDocumentPosition(b) & 4) > 0;  // FOLLOWING
            const heading = document.getElementById("geschenken-aannemen");
            const next = heading.parentElement.querySelector("#geschenken-aannemen ~ h2");
            return before(heading, p) && (!next || before(p, next));
        }"""
    )


def test_question_outside_the_knowledge_base_says_so_and_keeps_the_results(tab):
    tab.goto("")
    search_in_box(tab.page, "Wat is het recept voor erwtensoep?")
    card = tab.page.locator(".kb-not-found")
    expect(card).to_be_visible()
    expect(card).to_contain_text("Dit staat niet in deze kennisbank.")
    expect(card).to_contain_text("vertrouwenspersoon")
    expect(tab.page.locator(API_LINKS).first).to_be_visible()
    expect(tab.page.get_by_role("status").filter(has_text="geen antwoord")).to_have_count(1)
    assert axe_violations(tab.page) == []


def test_a_detail_the_pages_do_not_give_shows_its_note(tab):
    tab.goto("")
    search_in_box(tab.page, "Wat kost een gespreksleider van Dialoog en Ethiek?")
    card = tab.page.locator(".kb-not-found")
    expect(card).to_be_visible()
    expect(card.locator(".kb-answer__text")).to_contain_text("kon deze kennisbank niet nagaan")
    expect(card).to_contain_text("dialoogenethiek@rijksoverheid.nl")
    expect(tab.page.locator(API_LINKS).first).to_be_visible()
    assert axe_violations(tab.page) == []


def stored_feedback(live_server_settings) -> list[tuple]:
    with sqlite3.connect(live_server_settings.signals_db) as store:
        return store.execute("SELECT section_id, helpful, comment FROM feedback").fetchall()


def test_feedback_on_answers_with_and_without_a_comment(tab, real_index):
    before = len(stored_feedback(real_index))
    tab.goto("")
    search_in_box(tab.page, GIFT_QUESTION)
    form = tab.page.locator(".kb-feedback")
    form.get_by_role("button", name="Ja").click()
    expect(form.get_by_role("status")).to_have_text("Bedankt voor je reactie.")

    search_in_box(tab.page, "Wat is het recept voor erwtensoep?")
    form = tab.page.locator(".kb-feedback")
    form.get_by_role("button", name="Nee").click()
    comment = tab.page.get_by_label("Wat zocht je, of wat klopt er niet? (niet verplicht)")
    expect(comment).to_be_focused()
    comment.fill("Een recept, bel me op 0612345678")
    tab.page.keyboard.press("Tab")
    tab.page.keyboard.press("Enter")  # the Verstuur button, by keyboard
    expect(form.get_by_role("status")).to_have_text("Bedankt voor je reactie.")
    tab.page.wait_for_timeout(500)  # the service writes after it has answered
    rows = stored_feedback(real_index)[before:]
    assert rows == [("geschenken-aannemen", 1, None), (None, 0, "Een recept, bel me op [telefoon]")]


def test_feedback_when_the_api_is_down_says_it_was_not_sent(tab):
    tab.page.route("**/api/feedback", lambda route: route.abort())
    tab.allow_console_error(r"/api/feedback")  # the browser logs the failed request
    tab.goto("")
    search_in_box(tab.page, GIFT_QUESTION)
    form = tab.page.locator(".kb-feedback")
    form.get_by_role("button", name="Ja").click()
    expect(form.get_by_role("status")).to_have_text("Niet verstuurd.")
    expect(tab.page.locator(API_LINKS).first).to_be_visible()


def test_list_question_shows_the_list_in_the_answer_card(tab):
    tab.goto("")
    search_in_box(tab.page, "Welke vijf stappen heeft het Beleidskompas?")
    items = tab.page.locator(f"{ANSWER} .kb-answer__list li")
    expect(items).to_have_count(5)
    expect(items.first).to_have_text("Wat is het probleem?")


def test_results_show_breadcrumb_and_highlighted_words(tab):
    tab.goto("")
    search_in_box(tab.page, GIFT_QUESTION)
    first = tab.page.locator(API_LINKS).first
    expect(first.locator("h2")).to_have_text("Geschenken en cadeaus aannemen")
    expect(first.locator(".kb-search-result__path")).to_have_text(
        "Integriteit › Geschenken en uitnodigingen"
    )
    expect(first.locator("mark").first).to_have_text("kerstpakket")
    expect(tab.page.locator(f"{RESULTS} .md-search-result__meta")).to_have_text(
        "10 secties gevonden"
    )
    expect(tab.page.get_by_role("status").filter(has_text="secties gevonden")).to_have_count(1)


def test_arrow_down_and_enter_open_the_focused_result(tab):
    tab.goto("")
    search_in_box(tab.page, "Wat is het ethisch vierkant?")
    keyboard = tab.page.keyboard
    keyboard.press("ArrowDown")
    expect(tab.page.locator(ANSWER)).to_be_focused()
    keyboard.press("ArrowDown")
    first = tab.page.locator(API_LINKS).first
    expect(first).to_be_focused()
    target = first.get_attribute("href")
    keyboard.press("Enter")
    tab.page.wait_for_url(target)
    assert target.endswith("/vakmanschap/dilemmas/#ethisch-vierkant")


def test_enter_in_the_box_opens_the_first_result_and_escape_closes(tab):
    tab.goto("")
    search_in_box(tab.page, "Wat is een afkoelperiode?")
    expect(tab.page.locator("#__search")).to_be_checked()
    tab.page.keyboard.press("Escape")
    expect(tab.page.locator("#__search")).not_to_be_checked()

    tab.page.locator(QUERY).click()
    expect(tab.page.locator("#__search")).to_be_checked()  # Material opens search on focus
    target = tab.page.locator(API_LINKS).first.get_attribute("href")
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_url(target)
    assert target.endswith("#afkoelperiode")


def test_search_link_with_q_shows_results_and_reset_empties_the_box(tab):
    # Material's ?q= deep link fills the box before kennisbank-search.js runs.
    for _attempt in range(2):  # once more if a busy machine made the API miss its deadline
        tab.goto("?q=Wat is de ambtseed?")
        shown = tab.page.wait_for_function("() => window.__kb.shown[0]").json_value()
        if shown["source"] == "api":
            break
    assert shown == {"query": "Wat is de ambtseed?", "source": "api", "latency": shown["latency"]}
    expect(tab.page.locator(API_LINKS).first).to_have_attribute("href", re.compile("#wat-is-de-"))

    tab.page.get_by_role("button", name="Leegmaken").click()
    expect(tab.page.locator(QUERY)).to_have_value("")
    expect(tab.page.locator(f"{RESULTS} .kb-search-list")).to_have_count(0)  # Material's again


@pytest.mark.parametrize("failure", ["unreachable", "server-error", "too-slow"])
def test_failing_api_falls_back_to_builtin_results_with_notice(tab, failure):
    held: list[Route] = []  # "too-slow": requests that are never answered

    def fail(route: Route) -> None:
        if failure == "unreachable":
            route.abort("connectionrefused")
        elif failure == "server-error":
            route.fulfill(status=500, json={"detail": "Er ging iets mis."})
        else:
            held.append(route)

    tab.allow_console_error(API_ERROR)
    tab.page.route("**/api/search?*", fail)
    tab.goto("")
    shown = search_in_box(tab.page, "geschenken", want_api=False)
    assert shown.source == "material"
    if failure == "too-slow":
        assert 1400 < shown.latency_ms < 3000
    expect(tab.page.locator(NOTICE)).to_be_visible()
    expect(tab.page.locator(NOTICE)).to_contain_text("niet bereikbaar")
    builtin = tab.page.locator(f"{RESULTS} .md-search-result__item")
    expect(builtin.first).to_be_visible()
    expect(builtin.first.locator("a").first).to_have_attribute(
        "href", re.compile(r"/integriteit/geschenken/")
    )


def test_a_busy_api_is_asked_again_after_its_retry_after(tab):
    busy_once: list[str] = []

    def busy_then_real(route: Route) -> None:
        if not busy_once:
            busy_once.append(route.request.url)
            headers = {"Retry-After": "1"}
            body = {"detail": "De zoekdienst is even te druk. Probeer het zo opnieuw."}
            route.fulfill(status=503, json=body, headers=headers)
        else:
            route.continue_()

    tab.allow_console_error(API_ERROR)
    tab.page.route("**/api/search?*", busy_then_real)
    tab.goto("")
    assert search_in_box(tab.page, "geschenken", want_api=False).source == "material"
    time.sleep(1.2)  # past the Retry-After (a failure without one pauses the API for 30 s)
    shown = search_in_box(tab.page, "Mag ik een cadeau van een leverancier aannemen?")
    assert shown.source == "api" and not shown.retried


def test_api_message_about_a_bad_question_is_shown_in_the_box(tab):
    message = "De vraag is te lang: gebruik hoogstens 500 tekens."
    tab.allow_console_error(API_ERROR)  # the browser logs the 422
    tab.page.route(
        "**/api/search?*", lambda route: route.fulfill(status=422, json={"detail": message})
    )
    tab.goto("")
    assert search_in_box(tab.page, "een vraag").source == "api"
    expect(tab.page.locator(f"{RESULTS} .md-search-result__meta")).to_have_text(message)
    expect(tab.page.locator(NOTICE)).to_have_count(0)


def test_static_site_without_api_still_shows_builtin_results(browser, static_site):
    with open_tab(browser, static_site) as tab:
        tab.allow_console_error(API_ERROR)  # the file server answers 404, the browser logs it
        tab.goto("integriteit/")
        shown = search_in_box(tab.page, "geschenken", want_api=False)
        assert shown.source == "material"
        expect(tab.page.locator(NOTICE)).to_be_visible()
        builtin = tab.page.locator(f"{RESULTS} .md-search-result__item a[href*='geschenken']")
        expect(builtin.first).to_be_visible()
        assert tab.page.locator(API_LINKS).count() == 0
        assert tab.unexpected_errors() == []


# --- Everything from the API is text ---------------------------------------------------------


def watch_for_injection(tab: Tab) -> list[str]:
    dialogs: list[str] = []
    tab.page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    return dialogs


def test_typed_injection_payload_does_not_run(tab):
    dialogs = watch_for_injection(tab)
    tab.goto("")
    for payload in (PAYLOAD, FLAG_PAYLOAD):
        shown = search_in_box(tab.page, payload)
        assert shown.source == "api"
    tab.page.wait_for_timeout(300)  # time for a broken image's onerror, were there one
    assert dialogs == []
    assert tab.page.evaluate("window.kbInjected") is None
    assert tab.page.locator(f"{RESULTS} img").count() == 0
    expect(tab.page.locator(QUERY)).to_have_value(FLAG_PAYLOAD)


def test_markup_from_the_api_is_shown_as_text(tab):
    dialogs = watch_for_injection(tab)
    hostile = {
        "query": FLAG_PAYLOAD,
        "results": [
            {
                "id": "geschenken-aannemen",
                "url": "javascript:window.kbInjected=true",
                "title": FLAG_PAYLOAD,
                "page_title": FLAG_PAYLOAD,
                "breadcrumb": f"{FLAG_PAYLOAD} › {PAYLOAD}",
                "snippet": f"Voor {FLAG_PAYLOAD} en {PAYLOAD}.",
                "score": 1.0,
            }
        ],
        "answer": {"id": "geschenken-aannemen", "url": "#x", "text": PAYLOAD, "score": 1.0},
        "took_ms": 1.0,
    }
    tab.page.route("**/api/search?*", lambda route: route.fulfill(json=hostile))
    tab.goto("")
    search_in_box(tab.page, "img onerror")
    result = tab.page.locator(API_LINKS).first
    expect(result.locator("h2")).to_have_text(FLAG_PAYLOAD)
    expect(result.locator("p").last).to_have_text(f"Voor {FLAG_PAYLOAD} en {PAYLOAD}.")
    expect(result.locator("mark").first).to_have_text("img")
    expect(tab.page.locator(".kb-answer__text")).to_have_text(PAYLOAD)
    assert tab.page.locator(f"{RESULTS} img").count() == 0
    assert not result.get_attribute("href").startswith("javascript:")
    result.click()
    tab.page.wait_for_timeout(300)
    assert dialogs == []
    assert tab.page.evaluate("window.kbInjected") is None


# --- Copy-link buttons for trainers ----------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "section_id", "title"),
    [
        ("integriteit/geschenken/", "geschenken-aannemen", "Geschenken en cadeaus aannemen"),
        ("", "over-deze-kennisbank", "Over deze kennisbank"),
    ],
)
def test_copy_buttons_copy_the_stable_url_and_a_citation(tab, live_server, page, section_id, title):
    stable = urljoin(f"{live_server.url}/", section_url(section_id))
    assert stable == f"{live_server.url}/{page}#{section_id}"
    tab.goto(page)
    heading = tab.page.locator(f"h2#{section_id}")
    expect(heading.locator("a.headerlink")).to_have_attribute("href", f"#{section_id}")

    # By keyboard alone: Tab to the button, Enter.
    link_button = heading.get_by_role("button", name="Kopieer de link naar deze sectie")
    link_button.focus()
    tab.page.keyboard.press("Enter")
    expect(heading.locator(".kb-copy__done")).to_have_text("Gekopieerd")
    expect(heading.locator(".kb-copy__done")).to_be_visible()
    assert tab.page.evaluate("navigator.clipboard.readText()") == stable

    tab.page.keyboard.press("Tab")
    expect(
        heading.get_by_role("button", name="Kopieer een bronvermelding van deze sectie")
    ).to_be_focused()
    tab.page.keyboard.press("Enter")
    tab.page.wait_for_function("async () => (await navigator.clipboard.readText()).includes(' — ')")
    assert tab.page.evaluate("navigator.clipboard.readText()") == f"{title} — {stable}"


def test_old_anchor_of_a_moved_section_goes_to_its_new_place(tab):
    # No section has moved yet, so the page gets a registry entry the way the hook renders it.
    moved = {"oude-geschenkenregel": "trainers/#stabiele-links"}

    def with_moved_section(route: Route) -> None:
        response = route.fetch()
        html = response.text().replace(
            'id="kennisbank-moved-sections" type="application/json">{}<',
            f'id="kennisbank-moved-sections" type="application/json">{json.dumps(moved)}<',
        )
        route.fulfill(response=response, body=html)

    tab.page.route("**/integriteit/geschenken/", with_moved_section)
    tab.goto("integriteit/geschenken/#oude-geschenkenregel")
    tab.page.wait_for_url("**/trainers/#stabiele-links")
    expect(tab.page.locator("#stabiele-links")).to_be_visible()


@pytest.mark.parametrize("anchor", ["constructor", "__proto__", "toString"])
def test_anchor_named_like_an_object_property_stays_on_the_page(tab, anchor):
    tab.goto(f"integriteit/geschenken/#{anchor}")
    tab.page.wait_for_timeout(300)
    assert tab.page.url.endswith(f"/integriteit/geschenken/#{anchor}")


# --- Accessibility ----------------------------------------------------------------------------


def site_pages(built_site) -> list[str]:
    """Every page in the sitemap, as a path relative to the site root."""
    tree = ElementTree.parse(built_site / "sitemap.xml")
    locations = [loc.text for loc in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    root = locations[0]  # MkDocs lists the home page first
    return [loc.removeprefix(root) for loc in locations]


def test_axe_finds_no_serious_problems_on_any_page(tab, built_site):
    assert AXE.exists(), "run `npm ci` first: axe-core is missing"
    pages = site_pages(built_site)
    assert len(pages) > 10
    problems = []
    for page in pages:
        tab.goto(page)
        problems += [f"/{page}: {line}" for line in axe_violations(tab.page)]
    assert problems == []


def test_axe_finds_no_serious_problems_with_results_and_answer_open(tab):
    tab.goto("integriteit/")
    search_in_box(tab.page, GIFT_QUESTION)
    expect(tab.page.locator(ANSWER)).to_be_visible()
    assert axe_violations(tab.page) == []
