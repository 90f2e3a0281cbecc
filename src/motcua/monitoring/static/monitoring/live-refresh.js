/* Live figures without reloading the page: every N seconds (data-live-seconds) the page is fetched again and
   each part marked data-live-part is replaced by its fresh copy. The button [data-live-toggle] pauses and
   resumes; a part the user is working in (focus inside, e.g. typing a note) is left alone until the next turn.
   No external assets. */
(function () {
  var root = document.querySelector("[data-live-seconds]");
  if (!root) { return; }
  var seconds = Math.max(1, parseInt(root.getAttribute("data-live-seconds"), 10) || 60);
  var button = document.querySelector("[data-live-toggle]");
  var paused = false;
  var timer = null;

  function parts(doc) {
    var found = {};
    doc.querySelectorAll("[data-live-part]").forEach(function (element) {
      found[element.getAttribute("data-live-part")] = element;
    });
    return found;
  }
  function busy() {
    var active = document.activeElement;
    return active && active !== document.body && active.closest("[data-live-part]");
  }
  function schedule() {
    clearTimeout(timer);
    if (!paused) { timer = setTimeout(refresh, seconds * 1000); }
  }
  function refresh() {
    if (paused) { return; }
    if (busy()) { schedule(); return; }
    fetch(window.location.href, { credentials: "same-origin", headers: { "X-Live-Refresh": "1" } })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.text();
      })
      .then(function (html) {
        if (paused || busy()) { return; }
        var fresh = parts(new DOMParser().parseFromString(html, "text/html"));
        var current = parts(document);
        Object.keys(current).forEach(function (name) {
          if (fresh[name]) { current[name].replaceWith(document.importNode(fresh[name], true)); }
        });
      })
      .catch(function () { /* keep the figures shown; the next turn tries again */ })
      .then(schedule);
  }
  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      paused = !paused;
      button.setAttribute("aria-pressed", paused ? "true" : "false");
      if (paused) { clearTimeout(timer); } else { refresh(); }
    });
  }
  schedule();
})();
