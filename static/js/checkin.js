// tuanhang setup-day check-in: the list of who has not arrived yet, by zone, refreshed every few
// seconds from the JSON at the section's data-progress-url. Names are set with textContent,
// never as HTML. Polling pauses while the page is hidden and resumes when it is shown again.
(function () {
  "use strict";

  var section = document.getElementById("checkin-pending");
  if (!section || !window.fetch) {
    return;
  }
  var url = section.getAttribute("data-progress-url");
  var detailUrl = section.getAttribute("data-detail-url");
  var seconds = Math.max(2, Number(section.getAttribute("data-poll-seconds")) || 5);
  var zonesBox = section.querySelector("[data-checkin-zones]");
  var live = section.querySelector("[data-checkin-updated]");
  var summary = document.querySelector("[data-checkin-summary]");
  var bar = document.querySelector("[data-checkin-bar]");
  var summaryTemplate = summary ? summary.getAttribute("data-template") || "" : "";
  var timer = null;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  function swatch(colour) {
    var span = el("span", "zone-swatch");
    span.setAttribute("aria-hidden", "true");
    if (/^#[0-9A-Fa-f]{6}$/.test(colour || "")) {
      span.style.backgroundColor = colour;
    }
    return span;
  }

  function renderZone(zone) {
    var box = el("div", "mb-3 checkin-zone");
    box.setAttribute("data-zone", zone.code);
    var heading = el("h3", "h6 mb-1");
    heading.append(swatch(zone.colour), " " + (zone.code ? zone.code + " – " : "") + zone.name + " ");
    heading.append(
      el("span", "text-body-secondary fw-normal small", zone.arrived + "/" + zone.total + " " + section.getAttribute("data-word-arrived"))
    );
    box.append(heading);
    if (!zone.pending.length) {
      box.append(el("p", "small text-body-secondary mb-0", section.getAttribute("data-word-none")));
      return box;
    }
    var list = el("ul", "list-group");
    zone.pending.forEach(function (row) {
      var item = el("li", "list-group-item d-flex justify-content-between gap-2 py-2");
      var link = el("a", "text-truncate list-link", row.sign);
      link.href = detailUrl.replace(/\/0\/$/, "/" + Number(row.id) + "/");
      item.append(link, el("span", "text-body-secondary text-nowrap", row.booths.join(", ")));
      list.append(item);
    });
    box.append(list);
    return box;
  }

  function render(data) {
    var boxes = data.zones.map(renderZone);
    if (!boxes.length) {
      boxes = [el("p", "text-body-secondary", section.getAttribute("data-word-all"))];
    }
    zonesBox.replaceChildren.apply(zonesBox, boxes);
    if (summary && summaryTemplate) {
      // The sentence in the page's language with placeholders for the two numbers.
      summary.textContent = summaryTemplate.replace("__A__", String(data.arrived)).replace("__T__", String(data.total));
    }
    if (bar) {
      var percent = data.total ? Math.round((100 * data.arrived) / data.total) : 0;
      bar.style.width = percent + "%";
    }
    if (live) {
      live.hidden = false;
    }
  }

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error(String(response.status));
        }
        return response.json();
      })
      .then(render)
      .catch(function () {
        if (live) {
          live.hidden = true;
        }
      })
      .then(schedule);
  }

  function schedule() {
    clearTimeout(timer);
    if (!document.hidden) {
      timer = setTimeout(poll, seconds * 1000);
    }
  }

  document.addEventListener("visibilitychange", function () {
    if (!document.hidden) {
      poll();
    } else {
      clearTimeout(timer);
    }
  });
  schedule();
})();
