// For trainers: next to every section heading, one button copies the section's stable link
// and a second copies a citation ("Titel — URL"). Material's ¶ permalinks stay as they are.
(() => {
  "use strict";

  // The stable link is this page's directory URL (MkDocs' use_directory_urls) plus #id:
  // exactly what the search API's `url` resolves to against the site root. Query strings
  // such as Material's ?h= highlight are left out.
  const pageUrl = new URL(location.pathname.replace(/index\.html$/, ""), location.href).href;

  // Material Design icons "link-variant" and "format-quote-close" (the theme's own set).
  const LINK_ICON =
    "M10.59 13.41c.41.39.41 1.03 0 1.42-.39.39-1.03.39-1.42 0a5 5 0 0 1 0-7.07l3.54-3.54a5 5 0 0 1 " +
    "7.07 0 5 5 0 0 1 0 7.07l-1.49 1.49c.01-.82-.12-1.64-.4-2.42l.47-.48a2.98 2.98 0 0 0 0-4.24 " +
    "2.98 2.98 0 0 0-4.24 0l-3.53 3.53a2.98 2.98 0 0 0 0 4.24m2.82-4.24c.39-.39 1.03-.39 1.42 0a5 " +
    "5 0 0 1 0 7.07l-3.54 3.54a5 5 0 0 1-7.07 0 5 5 0 0 1 0-7.07l1.49-1.49c-.01.82.12 1.64.4 " +
    "2.43l-.47.47a2.98 2.98 0 0 0 0 4.24 2.98 2.98 0 0 0 4.24 0l3.53-3.53a2.98 2.98 0 0 0 " +
    "0-4.24.97.97 0 0 1 0-1.42";
  const QUOTE_ICON = "M14 17h3l2-4V7h-6v6h3M6 17h3l2-4V7H5v6h3z";

  const liveRegion = document.createElement("div");
  liveRegion.className = "kb-visually-hidden";
  liveRegion.setAttribute("role", "status");
  document.body.append(liveRegion);

  function icon(path) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    const shape = document.createElementNS(ns, "path");
    shape.setAttribute("d", path);
    svg.append(shape);
    return svg;
  }

  async function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    // Plain http (other than localhost) has no Clipboard API; the old way still works there.
    const area = document.createElement("textarea");
    area.value = text;
    area.className = "kb-visually-hidden";
    document.body.append(area);
    area.select();
    const copied = document.execCommand("copy");
    area.remove();
    if (!copied) throw new Error("copy failed");
  }

  function headingTitle(heading) {
    const copy = heading.cloneNode(true);
    copy.querySelectorAll(".headerlink, .kb-copy").forEach((node) => node.remove());
    return copy.textContent.trim();
  }

  // Shared with leesmap.js (loaded after this file): one copy of these.
  window.kennisbankCopy = { copyText, headingTitle, icon };

  function addCopyButtons(heading) {
    const title = headingTitle(heading);
    const url = `${pageUrl}#${heading.id}`;
    // Sighted users see the confirmation next to the buttons; screen readers hear it from the
    // live region, so it stays out of the heading's accessible name.
    const confirmation = document.createElement("span");
    confirmation.className = "kb-copy__done";
    confirmation.setAttribute("aria-hidden", "true");
    let hideLater = 0;

    function button(iconPath, label, tooltip, text, spoken) {
      const node = document.createElement("button");
      node.type = "button";
      node.className = "kb-copy__button";
      node.setAttribute("aria-label", label);
      node.title = tooltip;
      node.append(icon(iconPath));
      node.addEventListener("click", async () => {
        let shown = "Gekopieerd";
        try {
          await copyText(text);
        } catch {
          shown = spoken = "Kopiëren lukt niet";
        }
        confirmation.textContent = shown;
        confirmation.classList.add("kb-copy__done--shown");
        liveRegion.textContent = spoken;
        clearTimeout(hideLater);
        hideLater = setTimeout(() => confirmation.classList.remove("kb-copy__done--shown"), 2500);
      });
      return node;
    }

    const group = document.createElement("span");
    group.className = "kb-copy";
    group.append(
      // Short labels: they become part of the heading's name for screen readers.
      button(LINK_ICON, "Kopieer de link naar deze sectie", "Kopieer link", url, "Link gekopieerd"),
      button(
        QUOTE_ICON,
        "Kopieer een bronvermelding van deze sectie",
        "Kopieer bronvermelding",
        `${title} — ${url}`,
        "Bronvermelding gekopieerd",
      ),
      confirmation,
    );
    heading.append(group);
  }

  document
    .querySelectorAll(".md-content .md-typeset h2[id], .md-content .md-typeset h3[id]")
    .forEach(addCopyButtons);
})();
