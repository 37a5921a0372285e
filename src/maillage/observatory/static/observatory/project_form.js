// The project form: "add a row" buttons add an empty row in place (without JavaScript they
// submit the form, which comes back with one more row); the organisation fields suggest the
// published organisations of the directory as one types (a <datalist> filled from the server).
(function () {
  "use strict";
  document.querySelectorAll(".project-part").forEach(function (part) {
    var prefix = part.dataset.prefix;
    var total = part.querySelector("input[name='" + prefix + "-TOTAL_FORMS']");
    var template = part.querySelector("template.project-row-template");
    var button = part.querySelector("button.project-add-row");
    if (!total || !template || !button) {
      return;
    }
    button.type = "button";  // Enter in a field submits the page's own button, not this one
    button.addEventListener("click", function () {
      var index = parseInt(total.value, 10) || 0;
      var html = template.innerHTML.replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      var holder = document.createElement("div");
      holder.innerHTML = html;
      var row = holder.firstElementChild;
      template.before(row);
      total.value = String(index + 1);
      var first = row.querySelector("input, select, textarea");
      if (first) {
        first.focus();
      }
    });
  });

  var list = document.getElementById("observatory-organisations");
  if (!list || !list.dataset.url || !window.fetch) {
    return;
  }
  var timer = null;
  var last = "";
  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.getAttribute("list") !== list.id) {
      return;
    }
    var query = input.value.trim();
    if (query.length < 2 || query === last) {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(function () {
      last = query;
      fetch(list.dataset.url + "?q=" + encodeURIComponent(query), { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) {
          list.replaceChildren.apply(list, data.results.map(function (label) {
            var option = document.createElement("option");
            option.value = label;
            return option;
          }));
        })
        .catch(function () {});
    }, 200);
  });
})();
