/* Font size (A+ A A-) and high contrast, remembered in this browser. No external assets. */
(function () {
  var root = document.documentElement;
  var sizes = [14, 16, 18, 20, 22];
  function get(key, fallback) { try { return localStorage.getItem(key) || fallback; } catch (e) { return fallback; } }
  function set(key, value) { try { localStorage.setItem(key, value); } catch (e) { /* private mode */ } }
  function apply() {
    root.style.fontSize = get("motcua-font", "16") + "px";
    root.classList.toggle("high-contrast", get("motcua-contrast", "0") === "1");
    var toggle = document.querySelector("[data-a11y='contrast']");
    if (toggle) { toggle.setAttribute("aria-pressed", get("motcua-contrast", "0") === "1" ? "true" : "false"); }
  }
  document.addEventListener("click", function (event) {
    var back = event.target.closest("[data-history-back]");
    if (back && window.history.length > 1) { event.preventDefault(); window.history.back(); return; }
    var button = event.target.closest("[data-a11y]");
    if (!button) { return; }
    var action = button.getAttribute("data-a11y");
    var index = sizes.indexOf(parseInt(get("motcua-font", "16"), 10));
    if (index < 0) { index = 1; }
    if (action === "larger") { set("motcua-font", sizes[Math.min(index + 1, sizes.length - 1)]); }
    if (action === "normal") { set("motcua-font", "16"); }
    if (action === "smaller") { set("motcua-font", sizes[Math.max(index - 1, 0)]); }
    if (action === "contrast") { set("motcua-contrast", get("motcua-contrast", "0") === "1" ? "0" : "1"); }
    apply();
  });
  // Behaviours wired here rather than in inline handlers, which the Content-Security-Policy forbids.
  document.addEventListener("change", function (event) {
    var select = event.target.closest("select[data-autosubmit]");
    if (select && select.form) { select.form.submit(); }
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest("[data-print]")) { window.print(); }
  });
  // A table wider than the screen scrolls sideways inside its .table-wrap: keyboard users reach it with Tab.
  function scrollables() {
    document.querySelectorAll(".table-wrap").forEach(function (wrap) {
      if (wrap.scrollWidth > wrap.clientWidth) {
        wrap.setAttribute("tabindex", "0");
      } else if (wrap.getAttribute("tabindex") === "0") {
        wrap.removeAttribute("tabindex");
      }
    });
  }
  apply();
  document.addEventListener("DOMContentLoaded", function () { apply(); scrollables(); });
  window.addEventListener("resize", scrollables);
})();
