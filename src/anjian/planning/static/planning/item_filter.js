// The planned-visit item picker: a search box above each <select multiple data-item-filter>
// hides the options whose text does not contain what is typed (code, name or sector); the options
// already chosen always stay visible, and the count of shown items is announced. Without this
// script the whole (already narrowed) list still works.
(function () {
  "use strict";
  function attach(select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = select.dataset.itemFilter || "";
    box.setAttribute("aria-label", select.dataset.itemFilter || "");
    box.setAttribute("data-testid", "item-search");
    var status = document.createElement("div");
    status.className = "form-text";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    function apply() {
      var words = box.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      Array.prototype.forEach.call(select.options, function (option) {
        var text = (option.text + " " + (option.dataset.sectors || "")).toLowerCase();
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        option.hidden = !(match || option.selected);
        if (!option.hidden) shown += 1;
      });
      status.textContent = (select.dataset.itemCount || "%s").replace("%s", shown);
    }
    box.addEventListener("input", apply);
    apply();
  }
  document.querySelectorAll("select[data-item-filter]").forEach(attach);
})();
