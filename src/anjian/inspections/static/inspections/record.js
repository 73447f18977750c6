// The task page on a phone: an item's result is saved through the JSON API, so the officer
// stays where they are on a long list. Without JavaScript (or if the request fails to reach the
// server) the form posts to its page as usual.
(function () {
  var classes = {checked: "text-bg-success", finding: "text-bg-danger", not_applicable: "text-bg-secondary"};
  document.querySelectorAll("form[data-result-api]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var data = new FormData(form);
      var message = form.querySelector("[data-result-message]");
      fetch(form.dataset.resultApi, {
        method: "POST",
        credentials: "same-origin",
        headers: {"Content-Type": "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken")},
        body: JSON.stringify({item_id: Number(form.dataset.item), outcome: data.get("outcome"), note: data.get("note") || ""})
      }).then(function (response) {
        return response.json().then(function (body) { return {ok: response.ok, body: body}; });
      }).then(function (answer) {
        if (answer.ok) {
          var badge = document.querySelector("[data-result-for='" + form.dataset.item + "']");
          badge.textContent = answer.body.outcome.label;
          badge.className = "badge " + (classes[answer.body.outcome.code] || "text-bg-secondary");
          message.className = "small text-success";
          message.textContent = form.dataset.savedText;
        } else {
          message.className = "small text-danger";
          message.textContent = answer.body.detail || form.dataset.failedText;
        }
      }).catch(function () { form.submit(); });
    });
  });
})();
