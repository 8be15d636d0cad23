// tuanhang: the business profile and product forms.
// - A search box above each <select data-filterable>: typing "hai duong" keeps the options whose
//   accent-free text (data-search, else the label) contains it. Without JS the select works as is.
// - The commune select follows the province select: its options are fetched from
//   data-communes-url?province=NN when the province changes.
(function () {
  "use strict";

  function fold(text) {
    return (text || "")
      .replace(/đ/g, "d")
      .replace(/Đ/g, "D")
      .normalize("NFD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/\s+/g, " ")
      .trim();
  }

  function optionText(option) {
    return option.getAttribute("data-search") || fold(option.textContent);
  }

  // Options are removed and put back rather than hidden: mobile Safari ignores hidden options.
  function makeFilterable(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.getAttribute("data-filter-placeholder") || "";
    box.setAttribute("aria-label", box.placeholder);
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    select.parentNode.insertBefore(box, select);

    select.tuanhangAll = Array.prototype.slice.call(select.options);
    select.tuanhangFilter = function () {
      var query = fold(box.value);
      var selected = select.value;
      while (select.options.length) {
        select.remove(0);
      }
      select.tuanhangAll.forEach(function (option) {
        if (!option.value || option.value === selected || !query || optionText(option).indexOf(query) !== -1) {
          select.add(option);
        }
      });
      select.value = selected;
    };
    box.addEventListener("input", select.tuanhangFilter);
    // Enter in the box must not submit the form.
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
      }
    });
  }

  function replaceOptions(select, communes) {
    var blank = select.tuanhangAll ? select.tuanhangAll[0] : select.options[0];
    var all = [blank];
    communes.forEach(function (commune) {
      var option = document.createElement("option");
      option.value = commune.code;
      option.textContent = commune.name;
      option.setAttribute("data-search", commune.search);
      all.push(option);
    });
    select.tuanhangAll = all;
    select.value = "";
    if (select.tuanhangFilter) {
      select.tuanhangFilter();
    } else {
      while (select.options.length) {
        select.remove(0);
      }
      all.forEach(function (option) {
        select.add(option);
      });
    }
    select.value = "";
  }

  function followProvince(communeSelect) {
    var province = document.getElementById(communeSelect.getAttribute("data-province-select"));
    var url = communeSelect.getAttribute("data-communes-url");
    if (!province || !url) {
      return;
    }
    province.addEventListener("change", function () {
      if (!province.value) {
        replaceOptions(communeSelect, []);
        return;
      }
      fetch(url + "?province=" + encodeURIComponent(province.value), {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.ok ? response.json() : { communes: [] };
        })
        .then(function (data) {
          replaceOptions(communeSelect, data.communes || []);
        })
        .catch(function () {
          replaceOptions(communeSelect, []);
        });
    });
  }

  window.tuanhang.ready(function () {
    document.querySelectorAll("select[data-filterable]").forEach(makeFilterable);
    document.querySelectorAll("select[data-communes-url]").forEach(followProvince);
  });
})();
