// Text size switch (A− / A / A+), kept in localStorage. Loaded in <head> without defer, so the
// reader's size is on <html> before the first paint (no jump from the default size); the buttons
// are wired once the page is parsed. Without JavaScript the buttons stay hidden (state.css) and
// the browser's own zoom still works: every size on the site is in rem/em.
(function () {
  "use strict";
  var KEY = "portal:text-size";
  var MIN = -1;
  var MAX = 3;
  var PERCENT = { "-1": 90, "0": 100, "1": 112.5, "2": 125, "3": 150 };
  var root = document.documentElement;

  function stored() {
    try {
      var value = parseInt(window.localStorage.getItem(KEY), 10);
      return isNaN(value) ? 0 : Math.max(MIN, Math.min(MAX, value));
    } catch (e) {
      return 0; // storage blocked: default size
    }
  }

  function apply(step) {
    for (var i = MIN; i <= MAX; i++) {
      root.classList.remove("text-size-" + (i < 0 ? "m" + -i : i));
    }
    if (step !== 0) {
      root.classList.add("text-size-" + (step < 0 ? "m" + -step : step));
    }
  }

  var current = stored();
  apply(current);
  root.classList.add("text-size-ready");

  function wire() {
    var group = document.querySelector("[data-text-size]");
    if (!group) {
      return;
    }
    var status = group.querySelector("[data-text-size-status]");
    var buttons = group.querySelectorAll("button[data-step]");

    function refresh(announce) {
      buttons.forEach(function (button) {
        var step = parseInt(button.getAttribute("data-step"), 10);
        var disabled = (step < 0 && current <= MIN) || (step > 0 && current >= MAX);
        // aria-disabled, not disabled: the button keeps its place in the Tab order.
        button.setAttribute("aria-disabled", disabled ? "true" : "false");
        if (step === 0) {
          button.setAttribute("aria-pressed", current === 0 ? "true" : "false");
        }
      });
      if (announce && status) {
        status.textContent = status.getAttribute("data-label") + ": " + PERCENT[String(current)] + "%";
      }
    }

    buttons.forEach(function (button) {
      button.addEventListener("click", function () {
        var step = parseInt(button.getAttribute("data-step"), 10);
        var next = step === 0 ? 0 : Math.max(MIN, Math.min(MAX, current + step));
        if (next === current && step !== 0) {
          return;
        }
        current = next;
        apply(current);
        try {
          window.localStorage.setItem(KEY, String(current));
        } catch (e) {
          // storage blocked: the size holds for this page only
        }
        refresh(true);
      });
    });
    refresh(false);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
