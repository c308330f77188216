// Reading lists (leesmap) for trainers.
//
// - Next to every section heading, beside the copy buttons (copy-links.js), a "Zet in leesmap"
//   button adds the section to the reader's leesmap, kept in this browser (localStorage).
// - The page leesmap/ shows the chosen sections in their order with their full text, a
//   citation and a link, with buttons to reorder and remove them, to share and to print.
//   A shared link holds the whole list (leesmap/?s=id1,id2,id3): no account, no server state.
// - The texts come from assets/sections.json, written at build time (hooks/section_data.py):
//   the leesmap works without the search API. Moved IDs are followed (section-ids.yml);
//   unknown IDs are shown by name.
(() => {
  "use strict";

  const STORAGE_KEY = "kennisbank-leesmap";
  const MAX_SECTIONS = 100;
  const MAX_ID_LENGTH = 200;

  const config = document.getElementById("__config");
  const base = config ? JSON.parse(config.textContent).base : ".";
  const siteRoot = new URL(`${base}/`, location.href);
  const leesmapAddress = new URL("leesmap/", siteRoot);
  const dataAddress = new URL("assets/sections.json", siteRoot);
  const container = document.getElementById("kb-leesmap");

  // Material Design icons "bookmark-plus-outline" and "bookmark-check" (the theme's own set).
  const ADD_ICON =
    "M17 18V5H7v13l5-2.18zm0-15a2 2 0 0 1 2 2v16l-7-3-7 3V5a2 2 0 0 1 2-2zm-6 4h2v2h2v2h-2v2h-2v-2H9V9h2z";
  const ADDED_ICON =
    "M17 3a2 2 0 0 1 2 2v16l-7-3-7 3V5a2 2 0 0 1 2-2zm-6 11 6.25-6.24-1.41-1.42L11 11.18 8.41 8.59 7 10z";

  // --- The list in this browser ---------------------------------------------------------------

  function cleanIds(ids) {
    const seen = new Set();
    return ids
      .filter((id) => typeof id === "string")
      .map((id) => id.trim().slice(0, MAX_ID_LENGTH))
      .filter((id) => id && !seen.has(id) && seen.add(id));
  }

  function storedIds() {
    try {
      const value = JSON.parse(localStorage.getItem(STORAGE_KEY) || "[]");
      return Array.isArray(value) ? cleanIds(value).slice(0, MAX_SECTIONS) : [];
    } catch {
      return [];
    }
  }

  function store(ids) {
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
      return true;
    } catch {
      return false; // storage switched off or full
    }
  }

  function shareLink(ids) {
    const list = ids.map((id) => encodeURIComponent(id)).join(",");
    return `${leesmapAddress.href}?s=${list}`;
  }

  function secties(count) {
    return count === 1 ? "1 sectie" : `${count} secties`;
  }

  function liveRegion() {
    const region = document.createElement("div");
    region.className = "kb-leesmap-hidden";
    region.setAttribute("role", "status");
    document.body.append(region);
    return region;
  }



  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function button(label, className, onClick) {
    const node = element("button", className, label);
    node.type = "button";
    node.addEventListener("click", onClick);
    return node;
  }

  const { copyText, headingTitle, icon } = window.kennisbankCopy; // from copy-links.js

  // --- "Zet in leesmap" next to every section heading -----------------------------------------



  function addToggles() {
    const region = liveRegion();
    const toggles = [];
    const headings = document.querySelectorAll(
      ".md-content .md-typeset h2[id], .md-content .md-typeset h3[id]",
    );
    headings.forEach((heading) => {
      const id = heading.id;
      const title = headingTitle(heading);
      let group = heading.querySelector(".kb-copy");
      if (!group) {
        group = element("span", "kb-copy");
        heading.append(group);
      }
      const toggle = button("", "kb-copy__button kb-leesmap-toggle", () => {
        const ids = storedIds();
        const wasIn = ids.includes(id);
        const next = wasIn ? ids.filter((other) => other !== id) : [...ids, id];
        let shown;
        let spoken;
        if (!wasIn && ids.length >= MAX_SECTIONS) {
          shown = spoken = `De leesmap is vol (${MAX_SECTIONS} secties)`;
        } else if (!store(next)) {
          shown = spoken = "Bewaren lukt niet in deze browser";
        } else if (wasIn) {
          shown = "Uit leesmap gehaald";
          spoken = `${title} is uit de leesmap gehaald. De leesmap heeft nu ${secties(next.length)}.`;
        } else {
          shown = `In leesmap (${next.length})`;
          spoken = `${title} staat in de leesmap. De leesmap heeft nu ${secties(next.length)}.`;
        }
        update();
        done.textContent = shown;
        done.classList.add("kb-leesmap-toggle__done--shown");
        region.textContent = spoken;
        clearTimeout(hideLater);
        hideLater = setTimeout(() => done.classList.remove("kb-leesmap-toggle__done--shown"), 2500);
      });
      // Sighted users see the confirmation; screen readers hear it from the live region.
      const done = element("span", "kb-leesmap-toggle__done");
      done.setAttribute("aria-hidden", "true");
      let hideLater = 0;

      function update(ids = storedIds()) {
        const inList = ids.includes(id);
        // Short labels: they become part of the heading's name for screen readers.
        const label = inList ? "Haal uit leesmap" : "Zet in leesmap";
        toggle.setAttribute("aria-label", label);
        toggle.title = label;
        toggle.dataset.inLeesmap = String(inList);
        toggle.replaceChildren(icon(inList ? ADDED_ICON : ADD_ICON));
      }

      update();
      toggles.push(update);
      // Beside the copy buttons, before their "Gekopieerd" confirmation.
      group.insertBefore(toggle, group.querySelector(".kb-copy__done"));
      group.append(done);
    });
    // Another tab changed the leesmap.
    window.addEventListener("storage", (event) => {
      if (event.key !== STORAGE_KEY && event.key !== null) return;
      const ids = storedIds();
      toggles.forEach((update) => update(ids));
    });
  }

  // --- The leesmap page -----------------------------------------------------------------------

  // Section text from sections.json is rebuilt from this allow-list (the hook wrote it the
  // same way): never inserted as markup.
  const KEPT = new Set([
    "p", "ul", "ol", "li", "blockquote", "strong", "em", "code", "pre", "br", "hr", "dl", "dt",
    "dd", "table", "thead", "tbody", "tr", "th", "td", "sup", "sub", "a", "div",
  ]); // prettier-ignore
  const BOX_CLASSES = new Set([
    "admonition", "admonition-title", "note", "abstract", "info", "tip", "success", "question",
    "warning", "failure", "danger", "bug", "example", "quote",
  ]); // prettier-ignore
  const DROPPED = new Set(["script", "style", "svg", "button", "template", "iframe", "object"]);

  function safeHref(href) {
    try {
      const url = new URL(href, siteRoot);
      return ["http:", "https:", "mailto:"].includes(url.protocol) ? url.href : null;
    } catch {
      return null;
    }
  }

  function copyAllowed(source, target) {
    for (const node of source.childNodes) {
      if (node.nodeType === Node.TEXT_NODE) {
        target.append(node.data);
        continue;
      }
      if (node.nodeType !== Node.ELEMENT_NODE) continue;
      const tag = node.localName;
      if (DROPPED.has(tag)) continue;
      const classes = [...node.classList].filter((name) => BOX_CLASSES.has(name));
      const href = tag === "a" ? safeHref(node.getAttribute("href") || "") : null;
      const keep =
        KEPT.has(tag) && (tag !== "div" || classes.includes("admonition")) && (tag !== "a" || href);
      if (!keep) {
        copyAllowed(node, target);
        continue;
      }
      const copy = document.createElement(tag);
      if (href) copy.href = href;
      if ((tag === "div" || tag === "p") && classes.length) copy.className = classes.join(" ");
      copyAllowed(node, copy);
      target.append(copy);
    }
  }

  function sectionText(markup) {
    const parsed = new DOMParser().parseFromString(markup, "text/html"); // inert: nothing runs
    const text = element("div", "kb-leesmap__text");
    copyAllowed(parsed.body, text);
    return text;
  }

  function sharedIdsFromAddress() {
    // The raw query, so that an ID with an encoded comma stays one ID.
    const part = location.search
      .slice(1)
      .split("&")
      .find((p) => p === "s" || p.startsWith("s="));
    if (part === undefined) return null;
    const value = part.slice(2).replace(/\+/g, " ");
    return value.split(",").map((id) => {
      try {
        return decodeURIComponent(id);
      } catch {
        return id;
      }
    });
  }

  function today() {
    return new Intl.DateTimeFormat("nl-NL", {
      day: "numeric",
      month: "long",
      year: "numeric",
    }).format(new Date());
  }

  function initLeesmap(root) {
    const status = liveRegion();
    const fromAddress = sharedIdsFromAddress();
    const state = {
      shared: fromAddress !== null,
      ids: cleanIds(fromAddress ?? storedIds()),
      tooMany: 0,
      data: null,
    };
    if (state.ids.length > MAX_SECTIONS) {
      state.tooMany = state.ids.length - MAX_SECTIONS;
      state.ids = state.ids.slice(0, MAX_SECTIONS);
    }
    const movedFrom = new Map(); // current ID → the old ID it was listed under

    function resolve(id) {
      const { sections, moved } = state.data;
      let current = id;
      const seen = new Set();
      while (!sections.has(current) && moved.has(current) && !seen.has(current)) {
        seen.add(current);
        current = moved.get(current);
      }
      return sections.has(current) ? current : id;
    }

    function persist() {
      if (state.shared) {
        history.replaceState(history.state, "", shareLink(state.ids));
        return true;
      }
      return store(state.ids);
    }

    function say(message) {
      // Cleared first, so that the same message twice is announced twice.
      status.textContent = "";
      setTimeout(() => {
        status.textContent = message;
      }, 50);
    }

    function titleOf(id) {
      const section = state.data.sections.get(id);
      return section ? section.title : `Onbekende sectie: ${id}`;
    }

    function move(index, step, action) {
      const target = index + step;
      const id = state.ids[index];
      if (target < 0 || target >= state.ids.length) {
        say(`${titleOf(id)} staat al ${step < 0 ? "bovenaan" : "onderaan"}.`);
        return;
      }
      [state.ids[index], state.ids[target]] = [state.ids[target], state.ids[index]];
      persist();
      render();
      focusAction(id, action);
      say(`${titleOf(id)} staat nu op plaats ${target + 1} van ${state.ids.length}.`);
    }

    function remove(index) {
      const [id] = state.ids.splice(index, 1);
      persist();
      render();
      const next = state.ids[Math.min(index, state.ids.length - 1)];
      if (next !== undefined) focusAction(next, "remove");
      else root.querySelector(".kb-leesmap__empty")?.focus();
      say(`${titleOf(id)} is uit de leesmap gehaald. Er staan nog ${secties(state.ids.length)} in.`);
    }

    function focusAction(id, action) {
      const item = [...root.querySelectorAll(".kb-leesmap__item")].find(
        (node) => node.dataset.id === id,
      );
      item?.querySelector(`[data-action="${action}"]`)?.focus();
    }

    function citationOf(section, address) {
      const citation = element("p", "kb-leesmap__citation");
      citation.append(
        element("strong", "", "Bronvermelding: "),
        `${section.title} — ${state.data.siteName}, geraadpleegd op ${today()} — `,
      );
      const link = element("a", "kb-leesmap__url", address);
      link.href = address;
      citation.append(link);
      return citation;
    }

    function itemOf(id, index) {
      const section = state.data.sections.get(id);
      const item = element("article", "kb-leesmap__item");
      item.dataset.id = id;
      const headingId = `kb-leesmap-titel-${index + 1}`;
      item.setAttribute("aria-labelledby", headingId);
      const heading = element("h2", "kb-leesmap__title");
      heading.id = headingId;
      heading.append(
        element("span", "kb-leesmap__number", `${index + 1}. `),
        element("span", "kb-leesmap__title-text", titleOf(id)),
      );
      item.append(heading);
      if (section) {
        item.classList.add("kb-leesmap__item--known");
        const trail = section.breadcrumb.split(" › ").slice(0, -1).join(" › ");
        if (trail) item.append(element("p", "kb-leesmap__breadcrumb", trail));
        if (movedFrom.has(id)) {
          item.append(
            element(
              "p",
              "kb-leesmap__moved",
              `Deze sectie is verhuisd. In de leesmap stond ze onder haar oude ID “${movedFrom.get(id)}”.`,
            ),
          );
        }
        item.append(sectionText(section.html));
        item.append(citationOf(section, new URL(section.url, siteRoot).href));
      } else {
        item.classList.add("kb-leesmap__item--unknown");
        const explanation = element(
          "p",
          "kb-leesmap__unknown",
          "Deze sectie bestaat niet (meer) in de kennisbank. Misschien is de link niet " +
            "helemaal overgenomen. Haal de sectie uit de leesmap of zoek haar op in de ",
        );
        const all = element("a", "", "lijst van alle secties");
        all.href = new URL("trainers/#alle-secties", siteRoot).href;
        explanation.append(all, ".");
        item.append(explanation);
      }
      const title = titleOf(id);
      const actions = element("div", "kb-leesmap__actions");
      const up = button("Omhoog", "md-button kb-leesmap__action", () => move(index, -1, "up"));
      const down = button("Omlaag", "md-button kb-leesmap__action", () => move(index, 1, "down"));
      const out = button("Verwijderen", "md-button kb-leesmap__action", () => remove(index));
      up.dataset.action = "up";
      down.dataset.action = "down";
      out.dataset.action = "remove";
      up.setAttribute("aria-label", `Omhoog: ${title}`);
      down.setAttribute("aria-label", `Omlaag: ${title}`);
      out.setAttribute("aria-label", `Verwijderen: ${title}`);
      // Still focusable at the ends of the list, so that focus stays put after a move.
      if (index === 0) up.setAttribute("aria-disabled", "true");
      if (index === state.ids.length - 1) down.setAttribute("aria-disabled", "true");
      actions.append(up, down, out);
      item.append(actions);
      return item;
    }

    function toolbar() {
      const bar = element("div", "kb-leesmap__toolbar");
      const share = button("Deel deze leesmap", "md-button md-button--primary", async () => {
        const link = shareLink(state.ids);
        output.value = link;
        shareBox.hidden = false;
        try {
          await copyText(link);
          done.textContent = "Link gekopieerd";
          say("De link naar deze leesmap is gekopieerd.");
        } catch {
          done.textContent = "Kopiëren lukt niet: kopieer de link hieronder";
          say("Kopiëren lukt niet. Kopieer de link uit het tekstvak.");
          output.select();
        }
      });
      share.dataset.action = "share";
      const print = button("Afdrukken", "md-button", () => window.print());
      print.dataset.action = "print";
      const done = element("span", "kb-leesmap__done");
      done.setAttribute("aria-hidden", "true");
      const shareBox = element("p", "kb-leesmap__share");
      shareBox.hidden = true;
      const label = element("label", "", "Link naar deze leesmap");
      label.htmlFor = "kb-leesmap-link";
      const output = element("input", "kb-leesmap__link");
      output.id = "kb-leesmap-link";
      output.type = "text";
      output.readOnly = true;
      output.addEventListener("focus", () => output.select());
      shareBox.append(label, output);
      bar.append(share, print, done);
      return [bar, shareBox];
    }

    function sharedNotice() {
      const notice = element("div", "admonition info kb-leesmap__notice");
      notice.append(element("p", "admonition-title", "Gedeelde leesmap"));
      const own = storedIds();
      notice.append(
        element(
          "p",
          "",
          "Je bekijkt een leesmap die iemand met je heeft gedeeld. Wat je hier verandert, " +
            "verandert je eigen leesmap in deze browser niet." +
            (own.length
              ? ` Bewaar je deze leesmap, dan vervangt hij je eigen leesmap (${secties(own.length)}).`
              : ""),
        ),
      );
      const save = button("Bewaar als mijn leesmap", "md-button", () => {
        if (!store(state.ids)) {
          say("Bewaren lukt niet in deze browser.");
          return;
        }
        state.shared = false;
        history.replaceState(history.state, "", leesmapAddress.href);
        render();
        root.querySelector("[data-action=share]")?.focus();
        say("De leesmap is bewaard in deze browser.");
      });
      save.dataset.action = "save";
      notice.append(save);
      return notice;
    }

    function render() {
      const parts = [];
      if (state.shared) parts.push(sharedNotice());
      if (state.tooMany) {
        parts.push(
          element(
            "p",
            "kb-leesmap__warning",
            `De link noemt meer dan ${MAX_SECTIONS} secties: de laatste ${state.tooMany} ` +
              "staan niet in deze leesmap.",
          ),
        );
      }
      const unknown = state.ids.filter((id) => !state.data.sections.has(id));
      const summary =
        `In deze leesmap: ${secties(state.ids.length)}` +
        (unknown.length ? `, waarvan ${unknown.length} onbekend.` : ".");
      if (state.ids.length) {
        parts.push(...toolbar(), element("p", "kb-leesmap__summary", summary));
        const list = element("div", "kb-leesmap__list");
        state.ids.forEach((id, index) => list.append(itemOf(id, index)));
        parts.push(list);
      } else {
        const empty = element(
          "p",
          "kb-leesmap__empty",
          state.shared
            ? "Deze gedeelde leesmap is leeg."
            : "Je leesmap is nog leeg. Zet een sectie in je leesmap met de knop " +
                "“Zet in leesmap” naast de kop van die sectie.",
        );
        empty.tabIndex = -1;
        parts.push(empty);
      }
      root.replaceChildren(...parts);
      root.setAttribute("aria-busy", "false");
    }

    root.setAttribute("aria-busy", "true");
    root.replaceChildren(element("p", "kb-leesmap__loading", "De leesmap wordt geladen…"));
    fetch(dataAddress)
      .then((response) => {
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        return response.json();
      })
      .then((data) => {
        state.data = {
          siteName: data.site_name || document.title,
          sections: new Map(data.sections.map((section) => [section.id, section])),
          moved: new Map(Object.entries(data.moved || {})),
        };
        const resolved = state.ids.map((id) => {
          const current = resolve(id);
          if (current !== id) movedFrom.set(current, id);
          return current;
        });
        state.ids = cleanIds(resolved);
        // The browser's own list follows moves at once; a shared link only when it is edited.
        if (!state.shared && movedFrom.size) store(state.ids);
        render();
        window.addEventListener("storage", (event) => {
          if (state.shared || (event.key !== STORAGE_KEY && event.key !== null)) return;
          state.ids = cleanIds(storedIds().map(resolve));
          render();
        });
      })
      .catch(() => {
        const problem = element(
          "p",
          "kb-leesmap__error",
          "De teksten van de secties konden niet worden geladen. Laad de pagina opnieuw " +
            "of probeer het later nog eens.",
        );
        root.replaceChildren(problem);
        root.setAttribute("aria-busy", "false");
        say(problem.textContent);
      });
  }

  if (container) {
    initLeesmap(container);
  } else {
    addToggles();
  }
})();
