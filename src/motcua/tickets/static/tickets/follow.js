/* A visitor's ticket page: refreshes its state every few seconds without reloading. */
(function () {
  "use strict";
  var root = document.getElementById("queue-follow");
  if (!root) return;
  var every = (parseFloat(root.dataset.poll) || 5) * 1000;
  var status = root.querySelector('[data-field="status"]');
  var position = root.querySelector('[data-field="position"]');

  var active = true;

  function poll() {
    fetch(root.dataset.url, { cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (state) {
        if (!state) return;
        active = state.status === "waiting" || state.status === "called";
        status.textContent = state.status_label;
        if (state.counter) {
          position.textContent = root.dataset.called.replace("{counter}", state.counter);
        } else if (state.status === "waiting") {
          position.textContent = root.dataset.before.replace("{n}", state.waiting_before);
        } else {
          position.textContent = "";
        }
      })
      .catch(function () {})
      .then(function () { if (active) window.setTimeout(poll, every); });
  }
  window.setTimeout(poll, every);
})();
