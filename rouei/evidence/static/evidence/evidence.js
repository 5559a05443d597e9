// rouei evidence pages: warn before uploading a file over the limit (the server checks again),
// and a copy button beside a SHA-256. No inline scripts (the CSP forbids them).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var input = document.querySelector("input[type=file][data-max-bytes]");
  var warning = document.querySelector(".client-oversize");
  if (input && warning) {
    var limit = Number(input.dataset.maxBytes);
    var form = input.form;
    var tooLarge = function () {
      return input.files.length > 0 && input.files[0].size > limit;
    };
    input.addEventListener("change", function () {
      warning.textContent = tooLarge() ? warning.dataset.message : "";
      warning.hidden = !tooLarge();
    });
    form.addEventListener("submit", function (event) {
      if (tooLarge()) {
        event.preventDefault();
        warning.textContent = warning.dataset.message;
        warning.hidden = false;
      }
    });
  }
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    var source = document.getElementById(button.dataset.copy);
    if (!source || !navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.classList.add("copied");
      });
    });
  });
});
