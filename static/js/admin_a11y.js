/* The admin's accessibility fixes (issue 22), loaded on every admin page by admin/base_site.html.
   Django's filter_horizontal widget (SelectFilter2.js, built on window "load") names its help icon
   with aria-label on a plain <span>, where ARIA forbids a name: the icon is an image with that name.
   This script is deferred, so its "load" listener runs after the widget's. */
(function () {
  "use strict";
  window.addEventListener("load", function () {
    document.querySelectorAll(".selector .help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  });
})();
