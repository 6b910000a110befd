// The video form in the admin: a file over the limit is refused at once, in Vietnamese, before minutes of
// uploading end in the server's refusal (the server checks again: gallery/forms.py, portal/middleware.py).
(function () {
  "use strict";
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!input.matches || !input.matches("input[type=file][data-max-bytes]")) return;
    var limit = parseInt(input.getAttribute("data-max-bytes"), 10);
    var file = input.files && input.files[0];
    var note = input.parentNode.querySelector(".video-size-error");
    if (note) note.remove();
    if (file && file.size > limit) {
      var mb = function (n) { return (n / 1048576).toFixed(1).replace(".", ",") + " MB"; };
      note = document.createElement("p");
      note.className = "errornote video-size-error";
      note.setAttribute("role", "alert");
      note.textContent = "Video quá lớn (" + mb(file.size) + "). Dung lượng tối đa là " + mb(limit) +
        ": hãy nén lại hoặc đăng lên YouTube rồi dán đường dẫn.";
      input.parentNode.appendChild(note);
      input.value = "";
    }
  });
})();
