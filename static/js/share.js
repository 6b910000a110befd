// Sharing an article (templates/news/_share.html), without any third-party script: the device's own share
// sheet where the browser has one (Web Share API), and copying the link with the Clipboard API, falling back
// to a selected field the reader copies by hand. The links in the box work without this file.
(function () {
  "use strict";
  var box = document.querySelector("[data-share-box]");
  if (!box) { return; }
  var url = box.getAttribute("data-url");
  var title = box.getAttribute("data-title");
  var status = box.querySelector("[data-copy-status]");

  var native = box.querySelector("[data-share]");
  if (native && typeof navigator.share === "function") {
    native.hidden = false;
    native.addEventListener("click", function () {
      // A reader who closes the sheet gets an AbortError: nothing to say.
      navigator.share({ title: title, url: url }).catch(function () {});
    });
  }

  var say = function (message) {
    status.textContent = "";
    // A fresh text node each time, so screen readers announce a second copy too.
    window.setTimeout(function () { status.textContent = message; }, 50);
  };

  var selectByHand = function () {
    var fallback = box.querySelector("[data-copy-fallback]");
    var field = fallback.querySelector("input");
    fallback.hidden = false;
    field.focus();
    field.select();
    field.setSelectionRange(0, field.value.length);
    var copied = false;
    try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
    say(box.getAttribute(copied ? "data-msg-copied" : "data-msg-select"));
  };

  var copy = box.querySelector("[data-copy]");
  if (copy) {
    copy.addEventListener("click", function (event) {
      event.preventDefault();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(url).then(function () {
          say(box.getAttribute("data-msg-copied"));
        }, selectByHand);
      } else {
        selectByHand();
      }
    });
  }
})();
