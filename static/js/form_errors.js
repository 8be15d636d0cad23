// The error summary of a refused form (templates/includes/form_errors.html): focus moves to it
// when the page loads, so a screen reader reads "Có 2 lỗi cần sửa" and the list, and a phone
// shows it whatever was on screen before. Its links move focus into the field they name (a bare
// "#id" link scrolls without focusing in some browsers) and scroll the field's label into view.
// Without script the summary is the first thing in <main> (above the heading) and its links still jump.
(function () {
  "use strict";

  function labelFor(field) {
    if (field.id) {
      var label = document.querySelector('label[for="' + field.id + '"]');
      if (label) {
        return label;
      }
    }
    var fieldset = field.closest("fieldset");
    return (fieldset && fieldset.querySelector("legend")) || field;
  }

  // base.html renders the summary first in <main>, before the page's own heading; it belongs
  // under the heading (one h1 first, then "Có 2 lỗi cần sửa"): after the page's header block when
  // the h1 sits in one (a <header>, or a row of heading and buttons), else right after the h1.
  function placeUnderHeading(summary) {
    var main = summary.closest("main");
    var heading = main && main.querySelector("h1");
    if (!heading || summary.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_PRECEDING) {
      return;
    }
    var header = heading.closest("header");
    var parent = heading.parentElement;
    var anchor = heading;
    if (header && main.contains(header)) {
      anchor = header;
    } else if (parent !== main && getComputedStyle(parent).display.indexOf("flex") !== -1) {
      anchor = parent;
    }
    anchor.insertAdjacentElement("afterend", summary);
  }

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
    placeUnderHeading(summary);
    summary.focus();
    summary.addEventListener("click", function (event) {
      var link = event.target.closest('a[href^="#"]');
      var field = link && document.getElementById(link.getAttribute("href").slice(1));
      if (!field) {
        return;
      }
      event.preventDefault();
      labelFor(field).scrollIntoView({ block: "center" });
      field.focus({ preventScroll: true });
    });
  }

  if (document.readyState !== "loading") {
    start();
  } else {
    document.addEventListener("DOMContentLoaded", start);
  }
})();
