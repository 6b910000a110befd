// Reader feedback form. The article page is shared by every reader (page cache), so it carries no
// captcha key and no CSRF token: this file fetches both, fresh, when the reader starts on the form.
// Without JavaScript the article shows a link to the full form page, which renders its own captcha.
(function () {
  "use strict";

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_, name) { return String(values[name]); });
  }

  // Characters as the server counts them: Unicode code points after NFC normalisation.
  function length(text) {
    return Array.from(text.normalize ? text.normalize("NFC") : text).length;
  }

  // A live count under the text (and under a one-line field once it nears its limit). The server
  // checks again; there is no `maxlength`, which would silently cut pasted text.
  function counter(form, field) {
    var max = parseInt(field.getAttribute("data-maxchars"), 10);
    var always = field.tagName === "TEXTAREA";
    var out = document.createElement("p");
    out.className = "fb-counter";
    out.id = field.id + "_counter";
    field.insertAdjacentElement("afterend", out);
    field.setAttribute("aria-describedby", ((field.getAttribute("aria-describedby") || "") + " " + out.id).trim());
    var update = function () {
      var n = length(field.value);
      var over = n - max;
      out.hidden = !always && n < max * 0.8;
      out.classList.toggle("fb-counter-over", over > 0);
      out.textContent = over > 0
        ? format(form.getAttribute("data-msg-over"), { over: over.toLocaleString("vi-VN") })
        : format(form.getAttribute("data-msg-counter"), { count: n.toLocaleString("vi-VN"), max: max.toLocaleString("vi-VN") });
    };
    field.addEventListener("input", update);
    update();
  }

  function setup(form) {
    var slot = form.closest("[data-feedback-slot]");
    var box = form.querySelector("[data-captcha]");
    if (!box || !window.fetch) {
      return; // the no-JavaScript link stays
    }
    var keyInput = box.querySelector('input[type="hidden"]');
    var answer = box.querySelector('input:not([type="hidden"])');
    var image = box.querySelector("[data-captcha-image]");
    var placeholder = box.querySelector("[data-captcha-placeholder]");
    var refresh = box.querySelector("[data-captcha-refresh]");
    var audio = box.querySelector("[data-captcha-audio]");
    var player = box.querySelector("[data-captcha-player]");
    var audioMode = box.hasAttribute("data-audio-mode");
    var status = box.querySelector("[data-captcha-status]");
    var csrf = form.querySelector("[data-csrf]");
    var endpoint = form.getAttribute("data-challenge-url");
    var lifetime = (parseInt(box.getAttribute("data-timeout"), 10) || 10) * 60000;
    var loadedAt = keyInput.value ? Date.now() : 0;
    var pending = null;

    if (slot) {
      slot.querySelectorAll("[data-nojs]").forEach(function (el) { el.hidden = true; });
      form.hidden = false;
    }
    refresh.hidden = false;

    // A challenge is good for one attempt and CAPTCHA_TIMEOUT minutes; take a new one a minute early.
    function stale() {
      return !keyInput.value || (csrf && !csrf.value) || Date.now() - loadedAt > lifetime - 60000;
    }

    // In audio mode ("Nghe mã"), challenges are digits only: read in Vietnamese, and shown as the image.
    function load(announce) {
      if (pending) {
        return pending;
      }
      status.textContent = form.getAttribute("data-msg-loading");
      box.setAttribute("aria-busy", "true");
      var url = endpoint + (audioMode ? "?nghe=1" : "");
      pending = fetch(url, { credentials: "same-origin", cache: "no-store", headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.json().catch(function () { return {}; }).then(function (data) {
            if (!response.ok) {
              var error = new Error("HTTP " + response.status);
              error.readerMessage = data.message; // e.g. too many challenges: when to come back
              throw error;
            }
            return data;
          });
        })
        .then(function (data) {
          keyInput.value = data.key;
          image.src = data.image_url;
          if (data.image2x_url) {
            image.srcset = data.image2x_url + " 2x";
          }
          image.hidden = false;
          if (placeholder) {
            placeholder.hidden = true;
          }
          if (player) {
            if (data.audio_url) {
              player.src = data.audio_url;
              player.hidden = false;
            } else {
              player.removeAttribute("src");
              player.hidden = true;
            }
          }
          if (data.audio_url) {
            answer.setAttribute("inputmode", "numeric");
          } else {
            answer.removeAttribute("inputmode");
          }
          if (csrf) {
            csrf.value = data.csrf_token;
          }
          if (data.expires_in) {
            lifetime = data.expires_in * 1000;
          }
          answer.value = "";
          loadedAt = Date.now();
          if (data.audio_url) {
            status.textContent = box.getAttribute("data-msg-audio");
          } else {
            status.textContent = announce ? form.getAttribute("data-msg-loaded") : "";
          }
        })
        .catch(function (error) {
          status.textContent = (error && error.readerMessage) || form.getAttribute("data-msg-failed");
        })
        .finally(function () {
          box.removeAttribute("aria-busy");
          pending = null;
        });
      return pending;
    }

    // Back to this page from the browser's history: the challenge may have been used meanwhile.
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        keyInput.value = "";
        answer.value = "";
        loadedAt = 0;
      }
    });
    form.addEventListener("focusin", function () {
      if (stale()) {
        load();
      }
    });
    refresh.addEventListener("click", function () {
      load(true).then(function () { answer.focus(); });
    });
    if (audio && player) {
      // Without JavaScript the link opens the full form with an audio challenge; here it switches in place.
      audio.addEventListener("click", function (event) {
        event.preventDefault();
        audioMode = true;
        load(true).then(function () {
          if (player.src && !player.hidden) {
            var playing = player.play();
            if (playing && playing.catch) {
              playing.catch(function () { player.focus(); }); // the reader presses play
            }
          }
        });
      });
    }
    form.addEventListener("submit", function (event) {
      if (!keyInput.value || (csrf && !csrf.value)) {
        event.preventDefault();
        load().then(function () { answer.focus(); });
      }
    });

    form.querySelectorAll("[data-maxchars]").forEach(function (field) { counter(form, field); });

    var summary = form.querySelector("[data-error-summary]");
    if (summary) {
      summary.focus();
    }
  }

  document.querySelectorAll("[data-feedback-form]").forEach(setup);

  // Thank-you page: copy the tracking code.
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var source = document.querySelector("[data-copy-source]");
    var out = document.querySelector("[data-copy-status]");
    if (!source || !navigator.clipboard) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        out.textContent = button.getAttribute("data-msg-copied");
      });
    });
  });
})();

// Attachments: the names of the chosen files beside the Vietnamese "Chọn ảnh hoặc tệp PDF" button.
document.querySelectorAll(".fb-file").forEach(function (box) {
  var input = box.querySelector('input[type="file"]');
  var names = box.querySelector("[data-file-names]");
  if (!input || !names) return;
  input.addEventListener("change", function () {
    var chosen = Array.prototype.map.call(input.files || [], function (file) { return file.name; });
    names.textContent = chosen.length ? chosen.join(", ") : names.getAttribute("data-none");
  });
});
