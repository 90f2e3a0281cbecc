/* The printed ticket: print once when the kiosk has just issued it (?in=1), and on "In lại". */
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.addEventListener("click", function () { window.print(); });
  });
  if (new URLSearchParams(window.location.search).get("in") === "1" && !window.__ticketPrinted) {
    window.__ticketPrinted = true;
    window.print();
  }
})();
