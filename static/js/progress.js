// tuanhang: the progress of a long job (an automatic allocation run, a print or a report being
// made), the box of templates/includes/progress.html. While the job works, ask the server at the
// box's data-progress-url for its progress every second and move the bar, the message and the
// page's status badge (data-status-badge); when it is done (or failed), reload the page, which
// then shows the result. Without JavaScript the box says to reload.
(function () {
  "use strict";

  var POLL_MS = 1000;

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

  function follow(box) {
    var url = box.getAttribute("data-progress-url");
    var message = box.querySelector("[data-progress-message]");
    var badgeSelector = box.getAttribute("data-status-badge");
    var badge = badgeSelector ? document.querySelector(badgeSelector) : null;
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
  }

  window.tuanhang.ready(function () {
    var box = document.querySelector("[data-job-progress]");
    if (box) {
      follow(box);
    }
  });
})();
