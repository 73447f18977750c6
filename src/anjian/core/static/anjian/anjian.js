// Behaviour that used to sit in inline handlers, which the Content-Security-Policy forbids
// (script-src 'self'). Templates mark elements with data attributes; one delegated listener
// per event handles them, including content htmx swaps in later.
//   data-autosubmit        a select (or input) that submits its form when changed
//   data-print             a button that prints the page
//   data-confirm="text"    a button or form that asks before it submits
//   data-check-all="name"  a checkbox that ticks every input[name=<name>] like itself
//   data-style-<property>  a computed style (a bar's height, a mark's position), set here
//                          because style attributes are forbidden too
//   data-enterprise-lookup="url"  an enterprise picker (ui/enterprise_picker.py): while the user
//                          types, its <datalist> is filled from url?q=… (250 ms after the last
//                          key); without this script the typed code or exact name still submits
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    if (target.matches("[data-autosubmit]") && target.form) {
      target.form.requestSubmit ? target.form.requestSubmit() : target.form.submit();
    }
    if (target.matches("input[data-check-all]")) {
      document.querySelectorAll("input[name='" + target.dataset.checkAll + "']").forEach(function (box) {
        box.checked = target.checked;
      });
    }
  });

  document.addEventListener("click", function (event) {
    var target = event.target instanceof Element ? event.target.closest("[data-print], button[data-confirm], input[data-confirm]") : null;
    if (!target) return;
    if (target.matches("[data-print]")) {
      event.preventDefault();
      window.print();
    } else if (!window.confirm(target.dataset.confirm)) {
      event.preventDefault();
    }
  });

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form instanceof HTMLFormElement && form.matches("form[data-confirm]") && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
    }
  });

  function applyStyles(root) {
    var scope = root && root.querySelectorAll ? root : document;
    var nodes = Array.prototype.slice.call(scope.querySelectorAll("*"));
    if (scope instanceof Element) nodes.push(scope);
    nodes.forEach(function (node) {
      Array.prototype.forEach.call(node.attributes, function (attribute) {
        if (attribute.name.indexOf("data-style-") === 0) {
          node.style.setProperty(attribute.name.slice(11), attribute.value);
        }
      });
    });
  }

  var LOOKUP_DELAY = 250;
  var lookupTimers = new WeakMap();
  var lookupRequests = new WeakMap();

  function isOffered(list, text) {
    return Array.prototype.some.call(list.options, function (option) { return option.value === text; });
  }

  function fillList(list, results) {
    list.textContent = "";
    results.forEach(function (row) {
      var option = document.createElement("option");
      option.value = String(row.value);
      option.textContent = String(row.label);
      list.appendChild(option);
    });
  }

  function lookUp(input, text) {
    var list = input.list;
    if (!list) return;
    var pending = lookupRequests.get(input);
    if (pending) pending.abort();
    var controller = new AbortController();
    lookupRequests.set(input, controller);
    var url = new URL(input.dataset.enterpriseLookup, window.location.href);
    url.searchParams.set("q", text);
    fetch(url.toString(), { credentials: "same-origin", headers: { Accept: "application/json" }, signal: controller.signal })
      .then(function (response) { return response.ok ? response.json() : { results: [] }; })
      .then(function (data) {
        if (input.value.trim() === text) fillList(list, Array.isArray(data.results) ? data.results : []);
      })
      .catch(function () { /* aborted by a newer key, or offline: keep the list as it was */ });
  }

  document.addEventListener("input", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.matches("input[data-enterprise-lookup]")) return;
    window.clearTimeout(lookupTimers.get(input));
    var text = input.value.trim();
    // nothing typed, or an entry just chosen from the list: no request
    if (text.length < 1 || (input.list && isOffered(input.list, text))) return;
    lookupTimers.set(input, window.setTimeout(function () { lookUp(input, text); }, LOOKUP_DELAY));
  });

  // data-search="placeholder" (ui/forms.py officer pickers): a select, or check boxes sharing a
  // name, with more than data-search-from choices gets a box above it that hides the choices
  // not containing the typed text (chosen ones stay shown).
  function pickerRows(field) {
    if (field instanceof HTMLSelectElement) return Array.prototype.slice.call(field.options);
    var boxes = document.querySelectorAll('input[type=checkbox][data-search][name="' + field.name + '"]');
    return Array.prototype.map.call(boxes, function (box) {
      var row = box.closest(".form-check") || box.parentElement;
      return row && row.tagName === "LABEL" && row.parentElement ? row.parentElement : row;
    });
  }

  function addSearch(scope) {
    var root = scope && scope.querySelectorAll ? scope : document;
    var seen = {};
    Array.prototype.forEach.call(root.querySelectorAll("[data-search]"), function (field) {
      if (field.dataset.searchReady || (field.name && seen[field.name])) return;
      if (field.name) seen[field.name] = true;
      var rows = pickerRows(field);
      if (rows.length <= Number(field.dataset.searchFrom || 10) || !rows[0]) return;
      field.dataset.searchReady = "1";
      var box = document.createElement("input");
      box.type = "search";
      box.className = "form-control form-control-sm mb-1";
      box.placeholder = field.dataset.search;
      box.setAttribute("aria-label", field.dataset.search);
      box.dataset.testid = "picker-search-" + (field.name || "");
      var anchor = field instanceof HTMLSelectElement ? field : rows[0];
      anchor.parentElement.insertBefore(box, anchor);
      box.addEventListener("input", function () {
        var text = box.value.trim().toLowerCase();
        rows.forEach(function (row) {
          var chosen = row.selected || (row.querySelector && row.querySelector("input:checked"));
          row.hidden = Boolean(text) && !chosen && row.textContent.toLowerCase().indexOf(text) < 0;
        });
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyStyles(document); addSearch(document); });
  } else {
    applyStyles(document);
    addSearch(document);
  }
  document.addEventListener("htmx:load", function (event) { applyStyles(event.target); addSearch(event.target); });
})();
