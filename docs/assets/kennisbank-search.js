// The site's search box asks the search API (GET /api/search) and shows its sections and
// answer in Material's own result list. Material's built-in search keeps running underneath
// and takes over when the API is unreachable, fails or is slow.
//
// Everything that comes from the API is inserted with textContent, never as HTML.
(() => {
  "use strict";

  const DEBOUNCE_MS = 200; // ask once the user pauses, not on every keystroke
  const TIMEOUT_MS = 1500; // slower than this feels broken: show the built-in results instead
  const RETRY_AFTER_MS = 30000; // after a failure, don't make every keystroke wait for the API
  const RESULT_COUNT = 10;
  const STOPWORDS = new Set(
    (
      "aan als bij dan dat den der die dit een het hoe kan met mag moet naar niet ook tot uit " +
      "van voor wat wie waar welke zijn and are does the what"
    ).split(" "),
  );

  const search = document.querySelector('[data-md-component="search"]');
  const input = search?.querySelector('[data-md-component="search-query"]');
  const result = search?.querySelector('[data-md-component="search-result"]');
  const config = document.getElementById("__config");
  if (!input || !result || !config) return;

  // Material's search dialog has no accessible name (axe: aria-dialog-name); it gets the
  // input's own label ("Zoeken") rather than a copy of the theme's search partial.
  if (!search.hasAttribute("aria-label")) {
    search.setAttribute("aria-label", input.getAttribute("aria-label") || "Zoeken");
  }

  // Result URLs are relative to the site root; Material knows the root relative to this page
  // (the same resolution as moved-sections.js).
  const siteRoot = new URL(JSON.parse(config.textContent).base + "/", location.href);
  // The API base comes from mkdocs.yml (extra.search_api_url); empty means this origin.
  const apiBase = document.querySelector('meta[name="kennisbank-search-api"]')?.content ?? "";
  const endpoint = new URL(apiBase.trim().replace(/\/+$/, "") + "/api/search", location.href);
  const feedbackEndpoint = new URL("feedback", endpoint);

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  // One polite status region: result counts and fallbacks are announced, not just shown.
  const liveRegion = element("div", "kb-visually-hidden");
  liveRegion.setAttribute("role", "status");
  document.body.append(liveRegion);

  function announce(message) {
    if (message) liveRegion.textContent = message;
  }

  // --- Highlighting the query's words in a snippet --------------------------------------

  const WORD = /[\p{L}\p{N}]+/gu;
  const fold = (word) => word.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();

  // Words are cut to a crude stem so "geschenken" also marks "geschenk" and "financiële"
  // marks "financieel".
  function highlightStems(query) {
    const words = (query.match(WORD) ?? []).map(fold);
    return [...new Set(words.filter((w) => w.length >= 3 && !STOPWORDS.has(w)))].map((w) =>
      w.slice(0, 6),
    );
  }

  function highlighted(text, stems) {
    const nodes = [];
    let last = 0;
    for (const match of text.matchAll(WORD)) {
      const word = fold(match[0]);
      if (!stems.some((stem) => word.startsWith(stem))) continue;
      nodes.push(text.slice(last, match.index), element("mark", null, match[0]));
      last = match.index + match[0].length;
    }
    nodes.push(text.slice(last));
    return nodes; // strings become text nodes in append(): never parsed as HTML
  }

  // --- Rendering with Material's classes, so results look like Material's own -----------

  function resultLink(url, score, className) {
    const link = element("a", className);
    const target = new URL(url, siteRoot);
    // Only web addresses: a "javascript:" url from a broken or hostile API must not run.
    link.href = /^https?:$/.test(target.protocol) ? target.href : siteRoot.href;
    link.tabIndex = -1; // as in Material: arrows move through the results, Tab leaves the box
    const article = element("article", "md-search-result__article md-typeset");
    // Material's Enter key opens the link with the highest data-md-score: keep the API order.
    article.dataset.mdScore = String(score);
    link.append(article);
    return [link, article];
  }

  function resultItem(item, score, stems) {
    const [link, article] = resultLink(item.url, score, "md-search-result__link");
    // The breadcrumb ends with the section title, which is already the heading below it.
    const path = item.breadcrumb.split(" › ");
    if (path.length > 1 && path.at(-1) === item.title) path.pop();
    const snippet = element("p");
    snippet.append(...highlighted(item.snippet, stems));
    article.append(
      element("p", "kb-search-result__path", path.join(" › ")),
      element("h2", null, item.title),
      snippet,
    );
    const li = element("li", "md-search-result__item");
    li.append(link);
    return li;
  }

  function answerText(answer) {
    if (!answer.items?.length) return [element("p", "kb-answer__text", answer.text)];
    // A literal text (the oath) keeps its lines; a detail or fact follows the short answer.
    if (answer.kind !== "list") {
      return answer.items.map((line) => element("p", "kb-answer__text", line));
    }
    // A list answer ("welke vijf stappen") shows its lead-in and the items as a list.
    const lead = answer.text.split(" • ")[0];
    const items = element("ul", "kb-answer__list");
    items.append(...answer.items.map((item) => element("li", null, item)));
    return lead === answer.items[0] ? [items] : [element("p", "kb-answer__text", lead), items];
  }

  function answerCard(answer, results) {
    // The answer's URL has a text fragment: the browser scrolls to and marks the passage.
    // Score 0: Enter in the box still opens the first result, as in Material.
    const [link, article] = resultLink(answer.url, 0, "md-search-result__link kb-answer");
    const source = results.find((item) => item.id === answer.id);
    article.append(
      element("p", "kb-answer__label", answer.kind === "literal" ? "Tekst" : "Antwoord"),
      ...answerText(answer),
      element("p", "kb-answer__source", `Lees verder: ${source?.breadcrumb ?? "de sectie"}`),
    );
    return link;
  }

  function notFoundCard(notCovered) {
    // No section really answers: say so, say where to ask, and leave the results below. For a
    // detail a section does not give, its note says so in its own words and where to look.
    const card = element("div", "kb-answer kb-not-found");
    const article = element("article", "md-search-result__article md-typeset");
    article.append(
      element("p", "kb-answer__label", "Geen antwoord"),
      element("p", "kb-answer__text", notCovered?.note ?? "Dit staat niet in deze kennisbank."),
      element(
        "p",
        "kb-answer__source",
        "Vraag het je leidinggevende, de integriteitscoördinator of de vertrouwenspersoon. " +
          "Voor salaris, verlof en andere arbeidsvoorwaarden: P-Direkt of je HR-afdeling.",
      ),
    );
    card.append(article);
    return card;
  }

  // --- "Heeft dit je geholpen?" under the card --------------------------------------------

  async function sendFeedback(body, status) {
    // Never in the way of searching: no waiting on it, and a failure is only shown, quietly.
    try {
      const response = await fetch(feedbackEndpoint, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      status.textContent = response.ok ? "Bedankt voor je reactie." : "Niet verstuurd.";
    } catch {
      status.textContent = "Niet verstuurd.";
    }
  }

  function feedbackForm(question, sectionId) {
    const form = element("form", "kb-feedback");
    form.noValidate = true;
    const legend = element("p", "kb-feedback__question", "Heeft dit je geholpen?");
    const yes = element("button", "kb-feedback__button", "Ja");
    const no = element("button", "kb-feedback__button", "Nee");
    yes.type = no.type = "button";
    const status = element("p", "kb-feedback__status");
    status.setAttribute("role", "status");
    const base = { question, section_id: sectionId, helpful: true };
    yes.addEventListener("click", () => {
      form.replaceChildren(status);
      sendFeedback(base, status);
    });
    no.addEventListener("click", () => {
      const label = element("label", "kb-feedback__label", "Wat zocht je, of wat klopt er niet? (niet verplicht)");
      const field = element("textarea", "kb-feedback__comment");
      field.id = "kb-feedback-comment";
      label.htmlFor = field.id;
      field.maxLength = 300;
      field.rows = 2;
      const send = element("button", "kb-feedback__button", "Verstuur");
      send.type = "submit";
      form.replaceChildren(label, field, send, status);
      field.focus();
    });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      const comment = form.querySelector("textarea")?.value.trim() || null;
      form.replaceChildren(status);
      sendFeedback({ ...base, helpful: false, comment }, status);
    });
    // Keys typed here belong to the form, not to Material's search keyboard handling.
    form.addEventListener("keydown", (event) => event.stopPropagation());
    form.append(legend, yes, no, status);
    return form;
  }

  function countText(count) {
    if (count === 0) return "Geen secties gevonden";
    return count === 1 ? "1 sectie gevonden" : `${count} secties gevonden`;
  }

  // --- Swapping between our results and Material's ---------------------------------------

  // Our nodes replace Material's meta line and list while API results are shown. Material
  // keeps rendering into its own (then detached) nodes, so falling back is putting them back:
  // no second search, and nothing of Material's is patched.
  const meta = element("div", "md-search-result__meta");
  const answerSlot = element("div", "kb-answer-slot");
  const list = element("ol", "md-search-result__list kb-search-list");
  const notice = element(
    "p",
    "kb-search-notice",
    "De slimme zoekfunctie is nu niet bereikbaar. Je ziet de gewone zoekresultaten.",
  );
  let materialNodes = null;
  let showing = "material"; // "material", "fallback" (with notice) or "api"

  function show(mode) {
    if (mode === showing) return;
    // Material has mounted by the time anyone types; only then are its nodes safe to move.
    materialNodes ??= [...result.children];
    if (mode === "api") result.replaceChildren(meta, answerSlot, list);
    else if (mode === "fallback") result.replaceChildren(notice, ...materialNodes);
    else result.replaceChildren(...materialNodes);
    showing = mode;
  }

  function rendered(query, source, message) {
    result.removeAttribute("aria-busy");
    result.dataset.kbSource = source;
    announce(message);
    // A hook for tests and for anyone measuring: results for this query are on screen.
    result.dispatchEvent(
      new CustomEvent("kennisbank:results", { bubbles: true, detail: { query, source } }),
    );
  }

  function showResults(body, query) {
    const stems = highlightStems(query);
    const { results, answer } = body;
    answerSlot.replaceChildren(
      answer ? answerCard(answer, results) : notFoundCard(body.not_covered),
      feedbackForm(query, answer ? answer.id : null),
    );
    list.replaceChildren(...results.map((item, i) => resultItem(item, results.length - i, stems)));
    meta.textContent = countText(results.length);
    show("api");
    result.parentElement.scrollTop = 0;
    const said = answer ? ", met een antwoord bovenaan" : ", maar geen antwoord in deze kennisbank";
    rendered(query, "api", meta.textContent + said);
  }

  function showMessage(query, message) {
    answerSlot.replaceChildren();
    list.replaceChildren();
    meta.textContent = message;
    show("api");
    rendered(query, "api", message);
  }

  function showSearching() {
    answerSlot.replaceChildren();
    list.replaceChildren();
    meta.textContent = "Zoeken…";
    show("api");
  }

  function fallBack(query) {
    const message = showing === "fallback" ? "" : notice.textContent; // say it once
    show("fallback");
    rendered(query, "material", message);
  }

  // --- Asking the API -------------------------------------------------------------------

  let shownQuery = "";
  let debounce = 0;
  let pending = null; // AbortController of the request in flight
  let apiDownUntil = 0;

  async function ask(query) {
    const controller = new AbortController();
    pending = controller;
    const deadline = setTimeout(() => controller.abort(), TIMEOUT_MS);
    const url = new URL(endpoint);
    url.searchParams.set("q", query);
    url.searchParams.set("k", String(RESULT_COUNT));
    let status = 0;
    let body = null;
    let retryAfter = null;
    try {
      const response = await fetch(url, { signal: controller.signal });
      status = response.status;
      retryAfter = response.headers.get("Retry-After");
      body = await response.json();
    } catch {
      // Unreachable, not JSON, or aborted: by the deadline or because the user typed on.
    } finally {
      clearTimeout(deadline);
    }
    if (pending !== controller) return; // a newer query took over: this answer is stale
    pending = null;
    try {
      if (status === 200) return showResults(body, query);
      // A sentence for the user, e.g. that the question is too long.
      if (status === 422 && typeof body?.detail === "string")
        return showMessage(query, body.detail);
    } catch {
      // A reply that doesn't have the documented shape: treat it as a failing API.
    }
    apiDownUntil = Date.now() + pauseAfter(status, retryAfter);
    fallBack(query);
  }

  // A busy service (429, 503) says in Retry-After when to ask again (usually 1 s): the next
  // question goes to it then. Any other failure: a longer pause.
  function pauseAfter(status, retryAfter) {
    const busy = status === 429 || status === 503;
    // Only whole seconds count (not an HTTP date, not an empty header).
    if (busy && /^\s*\d+\s*$/.test(retryAfter ?? ""))
      return Math.min(Number(retryAfter) * 1000, RETRY_AFTER_MS);
    return RETRY_AFTER_MS;
  }

  function queryChanged() {
    const query = input.value.trim();
    if (query === shownQuery) return;
    shownQuery = query;
    clearTimeout(debounce);
    pending?.abort();
    pending = null;
    if (!query) {
      result.removeAttribute("aria-busy");
      return show("material");
    }
    if (Date.now() < apiDownUntil) return fallBack(query);
    if (showing !== "api") showSearching();
    // Earlier results stay in place while the next ones load, so the list doesn't flicker.
    result.setAttribute("aria-busy", "true");
    debounce = setTimeout(ask, DEBOUNCE_MS, query);
  }

  input.addEventListener("input", queryChanged);
  // Material fills the box from ?q= (before this script runs) and its reset button empties
  // it, both without input events.
  input.addEventListener("focus", queryChanged);
  input.form?.addEventListener("reset", () => setTimeout(queryChanged));
  if (input.value.trim()) queryChanged();

  // Material hides its list from assistive technology while search is closed; so do we.
  const toggle = document.getElementById("__search");
  if (toggle) {
    const syncHidden = () => {
      answerSlot.hidden = list.hidden = !toggle.checked;
    };
    toggle.addEventListener("change", syncHidden);
    syncHidden();
  }
})();
