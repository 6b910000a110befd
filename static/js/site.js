// Progressive enhancement only: every feature works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // Phone menu: a toggle button that shows and hides the category list.
  var toggle = document.querySelector(".menu-toggle");
  var menu = document.getElementById("menu-list");
  if (toggle && menu) {
    toggle.hidden = false;
    menu.classList.add("collapsed");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      menu.classList.toggle("collapsed", open);
    });
  }

  // Featured slider: previous / next buttons and the current dot, on top of CSS scroll-snap.
  var slides = document.getElementById("slides");
  if (slides) {
    var prev = document.querySelector(".slider-prev");
    var next = document.querySelector(".slider-next");
    var dots = document.querySelectorAll(".slider-dots a");
    var current = function () { return Math.round(slides.scrollLeft / slides.clientWidth); };
    var go = function (i) {
      var n = slides.children.length;
      i = (i + n) % n;
      slides.scrollTo({ left: i * slides.clientWidth, behavior: "smooth" });
    };
    var mark = function () {
      var i = current();
      dots.forEach(function (d, k) { d.setAttribute("aria-current", k === i ? "true" : "false"); });
    };
    if (prev && next) {
      prev.hidden = false; next.hidden = false;
      prev.addEventListener("click", function () { go(current() - 1); });
      next.addEventListener("click", function () { go(current() + 1); });
    }
    dots.forEach(function (d, k) {
      d.addEventListener("click", function (e) { e.preventDefault(); go(k); });
    });
    slides.addEventListener("scroll", function () { window.requestAnimationFrame(mark); }, { passive: true });
    mark();
  }

  // Print button on articles.
  document.querySelectorAll("[data-print]").forEach(function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();

// Filters of the document and procedure lists (templates/documents/_filters.html): on a phone they fold
// behind "Lọc" unless one is in use, so the first result is on the first screen; wider screens show them.
(function () {
  "use strict";
  var filters = document.querySelector("[data-filters]");
  if (!filters || !window.matchMedia) { return; }
  var phone = window.matchMedia("(max-width: 599px)");
  var used = Array.prototype.filter.call(filters.querySelectorAll("select, input"), function (field) {
    return field.value !== "";
  }).length;
  var badge = filters.querySelector("[data-filters-active]");
  if (used && badge) { badge.textContent = " (" + used + ")"; }
  var fit = function () {
    filters.open = !phone.matches || used > 0 || filters.querySelector(".has-error") !== null;
  };
  fit();
  if (phone.addEventListener) { phone.addEventListener("change", fit); }
})();
