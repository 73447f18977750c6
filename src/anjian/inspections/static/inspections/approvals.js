// The approval queue (inspections/approvals.html): the bulk-approve button says how many tasks
// are ticked ("批准所选 12 项任务"), and its confirmation (data-confirm, asked by anjian.js) says
// what approving them does, with the same count. With nothing ticked it asks for a tick and the
// server approves nothing.
(function () {
  "use strict";

  var button = document.querySelector("button[data-approve-selected]");
  if (!button) return;
  var name = button.dataset.approveSelected;
  var form = button.form;
  var emptyText = button.dataset.confirm;

  function update() {
    var n = form.querySelectorAll("input[name='" + name + "']:checked").length;
    if (n > 0) {
      button.dataset.confirm = button.dataset.confirmCount.replace("{n}", String(n));
      button.textContent = button.dataset.labelCount.replace("{n}", String(n));
    } else {
      button.dataset.confirm = emptyText;
    }
    return n;
  }

  // anjian.js ticks the boxes for "select all" in its own change listener: count after it
  document.addEventListener("change", function () { window.setTimeout(update, 0); });
  // counted again at the click itself, before anjian.js reads data-confirm further up
  button.addEventListener("click", function (event) {
    if (update() === 0) {
      event.preventDefault();
      event.stopPropagation();
      window.alert(emptyText);
    }
  });
  update();
})();
