// tuanhang: behaviour shared by every page. Kept out of the HTML so a strict
// Content-Security-Policy (no inline script or style) can be turned on.
// base.html loads it before any page's own script (all deferred, so in order), and it hands
// those scripts what they share as window.tuanhang: ready(fn) runs fn once the page is parsed.
(function () {
  "use strict";

  function ready(fn) {
    if (document.readyState !== "loading") {
      fn();
    } else {
      document.addEventListener("DOMContentLoaded", fn);
    }
  }

  window.tuanhang = { ready: ready };

  // Colour swatches: <span class="zone-swatch" data-colour="#1f77b4">.
  function paintSwatches(root) {
    root.querySelectorAll("[data-colour]").forEach(function (el) {
      var colour = el.getAttribute("data-colour");
      if (/^#[0-9A-Fa-f]{6}$/.test(colour)) {
        el.style.backgroundColor = colour;
      }
    });
  }

  // Bars of a stacked progress: <div class="progress" data-share="3" data-of="12">.
  function sizeBars(root) {
    root.querySelectorAll(".progress[data-share][data-of]").forEach(function (el) {
      var share = Number(el.getAttribute("data-share"));
      var of = Number(el.getAttribute("data-of"));
      var percent = of > 0 ? Math.round((100 * share) / of) : 0;
      el.style.width = percent + "%";
      el.setAttribute("aria-valuenow", String(percent));
    });
  }

  // A form that asks first: <form data-confirm="Send these again?">. Without script it just posts.
  function askBeforeSubmitting(root) {
    root.querySelectorAll("form[data-confirm]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        if (!window.confirm(form.getAttribute("data-confirm"))) {
          event.preventDefault();
        }
      });
    });
  }

  ready(function () {
    paintSwatches(document);
    sizeBars(document);
    askBeforeSubmitting(document);
  });
})();
