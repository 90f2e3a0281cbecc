/* Hall display: polls the queue API every few seconds, redraws the calls and announces each new call (or
   recall) in the browser's speech synthesis ("Mời số A001 đến quầy số 3"). No reload, no external asset. */
(function () {
  "use strict";
  var root = document.getElementById("queue-display");
  if (!root) return;
  var url = root.dataset.api;
  var every = (parseFloat(root.dataset.poll) || 3) * 1000;
  var lang = root.dataset.lang || "vi-VN";
  var template = root.dataset.announce;
  var body = root.querySelector("tbody");
  var waiting = root.querySelector('[data-field="waiting"]');
  var announceBox = root.querySelector('[data-field="announce"]');
  var offline = root.querySelector('[data-field="offline"]');
  var emptyRow = root.querySelector("template[data-empty-row]");
  var seen = new Set();
  body.querySelectorAll("tr[data-key]").forEach(function (row) { seen.add(row.dataset.key); });

  function voice() {
    if (!("speechSynthesis" in window)) return null;
    var prefix = lang.slice(0, 2).toLowerCase();
    return window.speechSynthesis.getVoices().find(function (v) {
      return (v.lang || "").toLowerCase().indexOf(prefix) === 0;
    }) || null;
  }

  function speak(text) {
    if (!("speechSynthesis" in window)) return;
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    var v = voice();
    if (v) utterance.voice = v;
    window.speechSynthesis.speak(utterance);
  }

  function announce(call) {
    var text = template.replace("{number}", call.number).replace("{counter}", call.counter);
    announceBox.textContent = text;
    speak(text);
  }

  function cell(text) {
    var td = document.createElement("td");
    td.textContent = text;
    return td;
  }

  function render(data) {
    var fresh = [];
    body.textContent = "";
    data.calling.forEach(function (call) {
      var key = call.number + "|" + call.call_count;
      var row = document.createElement("tr");
      row.dataset.key = key;
      row.appendChild(cell(call.number));
      row.appendChild(cell(String(call.counter)));
      if (!seen.has(key)) {
        row.className = "hall-new";
        fresh.push(call);
      }
      body.appendChild(row);
    });
    if (!data.calling.length && emptyRow) body.appendChild(emptyRow.content.cloneNode(true));
    seen = new Set(data.calling.map(function (c) { return c.number + "|" + c.call_count; }));
    waiting.textContent = String(data.waiting);
    // The API lists the most recent call first: announce in the order they were made.
    fresh.reverse().forEach(announce);
  }

  function poll() {
    fetch(url, { cache: "no-store", headers: { Accept: "application/json" } })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (data) { offline.hidden = true; render(data); })
      .catch(function () { offline.hidden = false; })
      .then(function () { window.setTimeout(poll, every); });
  }

  var soundButton = root.querySelector("[data-sound]");
  if (soundButton) {
    soundButton.addEventListener("click", function () {
      // Browsers let a page speak after a person has touched it once; this touch also checks the speakers.
      speak(soundButton.textContent);
      soundButton.setAttribute("aria-pressed", "true");
    });
  }
  window.setTimeout(poll, every);
})();
