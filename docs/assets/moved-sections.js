// Sends a reader who opens a link to a section that moved (section-ids.yml) to its new place.
(function () {
  "use strict";
  var data = document.getElementById("kennisbank-moved-sections");
  var config = document.getElementById("__config");
  if (!data || !config) return;
  var moved = JSON.parse(data.textContent);
  var siteRoot = new URL(JSON.parse(config.textContent).base + "/", location.href);

  function followMovedAnchor() {
    var id = decodeURIComponent(location.hash.slice(1));
    // Only the map's own keys: "#constructor" must not find Object.prototype.constructor.
    var known = Object.prototype.hasOwnProperty.call(moved, id);
    if (!id || document.getElementById(id) || !known || typeof moved[id] !== "string") return;
    location.replace(new URL(moved[id], siteRoot).href);
  }

  followMovedAnchor();
  window.addEventListener("hashchange", followMovedAnchor);
})();
