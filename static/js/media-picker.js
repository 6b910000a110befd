/* The media library's picker (core/admin_media.py, core/mediaforms.py). No inline scripts (CSP).
 *
 * In a form: a "Chọn từ thư viện" / "Chèn ảnh từ thư viện" button opens the picker in a small window;
 * the chosen item comes back by postMessage (same origin only) and either fills the image field (hidden
 * item id, preview, alt text and caption proposed when empty) or is inserted into the CKEditor 5 instance
 * (window.editors, kept by django_ckeditor_5) through its 'insertImage' command, with its alt text.
 * In the picker: a click on an item sends it to the window that opened the picker, then closes it. */
(function () {
  "use strict";
  var pending = null;

  function fillIfEmpty(id, value) {
    var input = id && document.getElementById(id);
    if (!input || !value) return;
    if (!input.value || input.dataset.proposed === "1") {
      input.value = value;
      input.dataset.proposed = "1";
      input.classList.add("media-proposed");
      input.dispatchEvent(new Event("input", { bubbles: true }));
    }
  }

  function chooseForField(button, item) {
    var box = button.closest(".media-image-field");
    if (!box) return;
    box.querySelector(".media-item-id").value = item.id;
    var file = box.querySelector('input[type="file"]');
    if (file) file.value = "";
    var clear = box.querySelector('input[type="checkbox"]');
    if (clear) clear.checked = false;
    var figure = box.querySelector(".media-image-preview");
    figure.hidden = false;
    var img = figure.querySelector("img");
    if (img) img.src = item.thumb || item.url;
    figure.querySelector(".media-image-name").textContent = item.title;
    fillIfEmpty(button.dataset.altInput, item.alt);
    fillIfEmpty(button.dataset.captionInput, item.caption);
  }

  function insertIntoEditor(button, item) {
    var editor = window.editors && window.editors[button.dataset.targetEditor];
    if (!editor) return;
    var source = { src: item.url };
    if (item.alt) source.alt = item.alt;
    editor.execute("insertImage", { source: [source] });
    editor.editing.view.focus();
  }

  function openPicker(button) {
    pending = button;
    var width = Math.min(960, screen.availWidth || 960);
    var height = Math.min(760, screen.availHeight || 760);
    var win = window.open(button.dataset.pickerUrl, "media-picker", "width=" + width + ",height=" + height + ",scrollbars=yes");
    if (win) win.focus();
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== window.location.origin || !event.data || event.data.type !== "media-picked") return;
    if (!pending) return;
    var item = event.data.item;
    if (pending.dataset.targetEditor) insertIntoEditor(pending, item);
    else chooseForField(pending, item);
    pending.focus();
  });

  document.addEventListener("click", function (event) {
    var pick = event.target.closest(".media-pick");
    if (pick) {
      event.preventDefault();
      openPicker(pick);
      return;
    }
    var choice = event.target.closest(".media-choice");
    if (choice && window.opener && !window.opener.closed) {
      event.preventDefault();
      var d = choice.dataset;
      window.opener.postMessage(
        { type: "media-picked", item: { id: d.id, url: d.url, thumb: d.thumb, alt: d.alt, caption: d.caption, title: d.title, kind: d.kind } },
        window.location.origin
      );
      window.close();
    }
  });

  // A file chosen in the image field replaces the earlier choice; shown at once from the browser's copy.
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.type !== "file" || !input.closest(".media-image-field")) return;
    var box = input.closest(".media-image-field");
    if (!input.files || !input.files.length) return;
    box.querySelector(".media-item-id").value = "";
    var figure = box.querySelector(".media-image-preview");
    figure.hidden = false;
    var img = figure.querySelector("img");
    if (img) img.src = URL.createObjectURL(input.files[0]);
    figure.querySelector(".media-image-name").textContent = input.files[0].name;
  });
})();
