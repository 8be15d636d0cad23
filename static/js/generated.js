// tuanhang: the progress of a file being made (a print or a report). While it is built, ask the
// server for its progress every second and move the bar; when it is ready (or failed), reload
// the page, which then shows the download. Without JavaScript the page says to reload.
(function () {
  "use strict";

  var POLL_MS = 1000;

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  function setBar(box, percent) {
    var outer = box.querySelector("[data-progress-bar]");
    var bar = box.querySelector("[data-progress]");
    if (!outer || !bar) {
      return;
    }
    var value = Math.max(0, Math.min(100, Number(percent) || 0));
    bar.style.width = value + "%";
    bar.textContent = value + "%";
    outer.setAttribute("aria-valuenow", String(value));
  }

  ready(function () {
    var box = document.querySelector("[data-progress-url]");
    if (!box) {
      return;
    }
    var url = box.getAttribute("data-progress-url");
    var message = box.querySelector("[data-progress-message]");
    var badge = document.querySelector("[data-file-status]");
    var bar = box.querySelector("[data-progress]");
    setBar(box, bar ? bar.getAttribute("data-progress") : 0);

    function poll() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin", cache: "no-store" })
        .then(function (response) {
          if (!response.ok) {
            throw new Error("HTTP " + response.status);
          }
          return response.json();
        })
        .then(function (data) {
          setBar(box, data.progress);
          if (message && data.message) {
            message.textContent = data.message;
          }
          if (badge && data.status_label) {
            badge.textContent = data.status_label;
          }
          if (data.working) {
            window.setTimeout(poll, POLL_MS);
          } else {
            window.location.reload();
          }
        })
        .catch(function () {
          // A network hiccup: try again a little later.
          window.setTimeout(poll, POLL_MS * 3);
        });
    }

    window.setTimeout(poll, POLL_MS);
  });
})();
