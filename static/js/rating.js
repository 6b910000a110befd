// The footer's rating form: sent with fetch and answered in place (JSON from rating.views), so the
// reader stays on the page. Without JavaScript, or when fetch fails, the form posts normally.
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) {
    return;
  }
  document.querySelectorAll("[data-rating-form]").forEach(function (form) {
    var status = form.querySelector("[data-rating-status]");
    var button = form.querySelector("button[type=submit]");
    var busy = false;

    function show(message, kind) {
      status.hidden = false;
      status.className = "rating-status rating-status-" + kind;
      status.textContent = message;
      status.focus();
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      if (busy) {
        return;
      }
      busy = true;
      button.setAttribute("aria-busy", "true");
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" }
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { status: response.status, data: data };
          });
        })
        .then(function (result) {
          if (result.data.ok) {
            form.querySelectorAll("[data-rating-fields]").forEach(function (el) { el.hidden = true; });
            show(result.data.message, "ok");
          } else {
            show(result.data.message, result.status === 429 ? "limit" : "error");
          }
        })
        .catch(function () {
          form.submit(); // the server answers with a page instead
        })
        .finally(function () {
          busy = false;
          button.removeAttribute("aria-busy");
        });
    });
  });
})();
