// tuanhang exhibitor directory: choosing a filter runs the search at once (the form still works
// without script, with its Search button).
(function () {
  "use strict";
  var form = document.getElementById("directory-search");
  if (!form) {
    return;
  }
  form.querySelectorAll("select").forEach(function (select) {
    select.addEventListener("change", function () {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    });
  });
})();
