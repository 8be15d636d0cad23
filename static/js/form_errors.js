// The error summary of a refused form (templates/includes/form_errors.html): focus moves to it
// when the page loads, so a screen reader reads "Có 2 lỗi cần sửa" and the list, and a phone
// shows it whatever was on screen before. Its links move focus into the field they name (a bare
// "#id" link scrolls without focusing in some browsers) and scroll the field's label into view.
// Without script the summary is still the first thing in <main> and its links still jump.
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

  function start() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) {
      return;
    }
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
