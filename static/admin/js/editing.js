// Autosave and edit lock of an admin change form (core/editing.py, templates/admin/core/editing/panel.html).
// The form's fields (CKEditor 5 bodies through editor.getData(); django_ckeditor_5 keeps its editors in
// window.editors by textarea id) go to the user's autosave slot every few seconds when they changed and when
// the page is hidden or left (navigator.sendBeacon); a heartbeat keeps the edit lock and learns when someone
// took it over; leaving with unsaved changes asks first.
(function () {
  "use strict";

  const panel = document.getElementById("editing-panel");

  // Read-only because someone else edits: ask now and then (only while the tab is in sight) whether they
  // have left, and say so with a link that reloads into the edit form. Without this script the page is the
  // same, minus the news.
  function watchLock() {
    const statusUrl = panel.dataset.statusUrl;
    const region = panel.querySelector("[data-editing-freed]");
    if (!statusUrl || !region) {
      return;
    }
    const text = region.querySelector("[data-editing-freed-text]");
    const reload = region.querySelector("[data-editing-reload]");
    const every = Math.max(1, parseFloat(panel.dataset.statusSeconds) || 20) * 1000;
    let holder = panel.dataset.holder || "";
    let freed = panel.dataset.freed || "";
    let timer = null;
    let done = false;
    let asking = false;

    function schedule() {
      window.clearTimeout(timer);
      timer = done || document.hidden ? null : window.setTimeout(ask, every);
    }

    async function ask() {
      timer = null;
      if (asking) {
        return;
      }
      asking = true;
      try {
        const url = statusUrl + "?holder=" + encodeURIComponent(holder);
        const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
        const answer = await response.json();
        if (answer.lock === "free") {
          done = true;
          text.textContent = answer.message || freed;
          reload.hidden = false;
          region.classList.add("is-free");
        } else if (answer.lock === "held" && answer.message) {
          holder = String(answer.holder_id);
          freed = answer.freed || freed;
          text.textContent = answer.message;
        } else if (!answer.ok && answer.message) {
          done = response.status === 401 || response.status === 403; // asking again will not help
          text.textContent = answer.message;
        }
      } catch (error) {
        // Offline for a moment: ask again next time.
      }
      asking = false;
      schedule();
    }

    document.addEventListener("visibilitychange", () => {
      if (document.hidden) {
        window.clearTimeout(timer);
        timer = null;
      } else if (!done && timer === null) {
        ask(); // back in sight: the news may be old
      }
    });
    schedule();
    panel.dataset.watching = "1";
  }

  if (panel && panel.dataset.mode === "readonly") {
    watchLock();
    return;
  }

  const form = panel && document.getElementById(panel.dataset.form);
  if (!panel || !form) {
    return;
  }
  const autosaveUrl = panel.dataset.autosaveUrl;
  const heartbeatUrl = panel.dataset.heartbeatUrl;
  const statusLine = panel.querySelector("[data-editing-status]");
  const alertBox = panel.querySelector("[data-editing-alert]");
  const offer = panel.querySelector("[data-editing-offer]");
  const SKIPPED_TYPES = ["file", "submit", "button", "reset", "image"];
  const MANAGEMENT = /-(TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS$/;

  let baseline = null; // the form as it was opened (after the editors started)
  let lastSaved = null; // what the slot holds now
  let submitting = false;
  let lost = false;

  function say(text) {
    statusLine.textContent = text || "";
  }

  function warn(text) {
    alertBox.textContent = text;
    alertBox.hidden = !text;
  }

  function csrfToken() {
    const input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function editorOf(element) {
    if (!element.classList || !element.classList.contains("django_ckeditor_5") || !window.editors) {
      return null;
    }
    return window.editors[element.id] || null;
  }

  function editorsReady() {
    const areas = form.querySelectorAll("textarea.django_ckeditor_5");
    return Array.from(areas).every(
      (area) => area.id.indexOf("__prefix__") !== -1 || (window.editors && window.editors[area.id])
    );
  }

  function isChosenBox(select) {
    // The right-hand box of a filter_horizontal widget: what it lists is what is chosen.
    return select.classList.contains("filtered") && /_to$/.test(select.id);
  }

  function serialize() {
    const data = {};
    for (const element of form.elements) {
      const type = (element.type || "").toLowerCase();
      if (!element.name || element.disabled || element.name === "csrfmiddlewaretoken") {
        continue;
      }
      if (SKIPPED_TYPES.indexOf(type) !== -1 || /_old$/.test(element.name)) {
        continue;
      }
      let values;
      if (type === "checkbox" || type === "radio") {
        if (!element.checked) {
          continue;
        }
        values = [element.value];
      } else if (element.tagName === "SELECT" && element.multiple) {
        const all = isChosenBox(element);
        values = Array.from(element.options)
          .filter((option) => all || option.selected)
          .map((option) => option.value);
      } else {
        const editor = editorOf(element);
        values = [editor ? editor.getData() : element.value];
      }
      data[element.name] = (data[element.name] || []).concat(values);
    }
    return data;
  }

  function snapshot() {
    return JSON.stringify(serialize());
  }

  function dirty() {
    return baseline !== null && snapshot() !== baseline;
  }

  function body(fields) {
    const data = new FormData();
    data.append("csrfmiddlewaretoken", csrfToken());
    Object.keys(fields).forEach((name) => data.append(name, fields[name]));
    return data;
  }

  async function post(url, fields) {
    const response = await fetch(url, {
      method: "POST",
      body: body(fields),
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    const type = response.headers.get("Content-Type") || "";
    if (type.indexOf("application/json") === -1) {
      throw new Error("HTTP " + response.status);
    }
    return response.json();
  }

  async function save() {
    if (baseline === null || submitting) {
      return;
    }
    const current = snapshot();
    if (current === lastSaved) {
      return;
    }
    try {
      const answer = await post(autosaveUrl, { data: current });
      if (answer.ok) {
        lastSaved = current;
        say(answer.message);
        if (!lost) {
          warn("");
        }
      } else {
        warn(answer.message);
      }
    } catch (error) {
      say(panel.dataset.saveFailed);
    }
  }

  function saveNow() {
    // The page is going away or out of sight: a beacon outlives it.
    if (baseline === null || submitting) {
      return;
    }
    const current = snapshot();
    if (current !== lastSaved && navigator.sendBeacon(autosaveUrl, body({ data: current }))) {
      lastSaved = current;
    }
  }

  async function heartbeat() {
    if (!heartbeatUrl || lost || submitting) {
      return;
    }
    try {
      const answer = await post(heartbeatUrl, {});
      if (answer.lock === "lost") {
        lost = true;
        warn(answer.message);
        form.classList.add("editing-lost");
        save();
      } else if (answer.ok) {
        if (!lost) {
          warn("");
        }
      } else {
        warn(answer.message);
      }
    } catch (error) {
      // Offline for a moment: the next beat tries again (the lock lasts a few beats).
    }
  }

  function setValue(element, values, index) {
    const type = (element.type || "").toLowerCase();
    if (type === "checkbox" || type === "radio") {
      element.checked = values.indexOf(element.value) !== -1;
    } else if (element.tagName === "SELECT" && element.multiple) {
      if (isChosenBox(element) && window.SelectBox) {
        const from = element.id.replace(/_to$/, "_from");
        window.SelectBox.move_all(element.id, from);
        Array.from(document.getElementById(from).options).forEach((option) => {
          option.selected = values.indexOf(option.value) !== -1;
        });
        window.SelectBox.move(from, element.id);
      } else {
        Array.from(element.options).forEach((option) => {
          option.selected = values.indexOf(option.value) !== -1;
        });
      }
    } else {
      const value = values[index] !== undefined ? values[index] : "";
      const editor = editorOf(element);
      if (editor) {
        editor.setData(value);
      }
      element.value = value;
    }
  }

  function restore(data) {
    const seen = {};
    for (const element of form.elements) {
      const type = (element.type || "").toLowerCase();
      const name = element.name;
      if (!name || name === "csrfmiddlewaretoken" || MANAGEMENT.test(name) || /_old$/.test(name)) {
        continue;
      }
      if (SKIPPED_TYPES.indexOf(type) !== -1) {
        continue;
      }
      if (!(name in data)) {
        if (type === "checkbox") {
          element.checked = false; // unticked boxes are not sent
        }
        continue;
      }
      const index = seen[name] || 0;
      seen[name] = index + 1;
      setValue(element, data[name], index);
    }
  }

  function start() {
    baseline = snapshot();
    lastSaved = baseline;
    if (offer) {
      const data = JSON.parse(document.getElementById("editing-autosave-data").textContent);
      const restoreButton = offer.querySelector("[data-editing-restore]");
      restoreButton.disabled = false;
      restoreButton.addEventListener("click", () => {
        restore(data);
        lastSaved = snapshot(); // the slot already holds this
        offer.hidden = true;
        say(panel.dataset.restored);
        const first = form.querySelector("input:not([type=hidden]), textarea, select");
        if (first) {
          first.focus();
        }
      });
      offer.querySelector("[data-editing-discard]").addEventListener("click", () => {
        offer.hidden = true;
        post(autosaveUrl, { discard: "1" }).catch(() => {});
      });
    }
    const seconds = (name, fallback) => Math.max(1, parseFloat(panel.dataset[name]) || fallback) * 1000;
    window.setInterval(save, seconds("autosaveSeconds", 30));
    if (heartbeatUrl) {
      window.setInterval(heartbeat, seconds("heartbeatSeconds", 30));
    }
    panel.dataset.ready = "1";
  }

  form.addEventListener("submit", (event) => {
    const target = (event.submitter && event.submitter.getAttribute("formtarget")) || form.target;
    if (target === "_blank") {
      return; // a preview in a new tab: this page stays
    }
    submitting = true;
    window.setTimeout(() => {
      if (event.defaultPrevented) {
        submitting = false; // another script stopped the submission
      }
    }, 0);
  });

  window.addEventListener("beforeunload", (event) => {
    if (!submitting && dirty()) {
      saveNow();
      event.preventDefault();
      event.returnValue = "";
    }
  });

  window.addEventListener("pagehide", () => {
    saveNow();
    if (heartbeatUrl && !submitting && !lost) {
      navigator.sendBeacon(heartbeatUrl, body({ release: "1" }));
    }
  });

  window.addEventListener("pageshow", (event) => {
    if (event.persisted) {
      heartbeat(); // back from the back-forward cache: take the lock again
    }
  });

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "hidden") {
      saveNow();
    }
  });

  let waited = 0;
  (function waitForEditors() {
    if (editorsReady() || waited > 15000) {
      start();
    } else {
      waited += 100;
      window.setTimeout(waitForEditors, 100);
    }
  })();
})();
