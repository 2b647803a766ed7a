/* KK Portal: the one script. A form sends once: a second tap on "Simpan" does nothing. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (form.dataset.sent) { event.preventDefault(); return; }
  form.dataset.sent = "1";
  /* Disable after the browser has read the pressed button's name and value. */
  setTimeout(function () {
    form.querySelectorAll("button[type=submit]").forEach(function (b) { b.disabled = true; });
  }, 0);
});
/* Buttons that ask first (anonymise, deactivate) carry data-confirm. */
document.addEventListener("click", function (event) {
  var b = event.target.closest("[data-confirm]");
  if (b && !window.confirm(b.dataset.confirm)) { event.preventDefault(); }
});
/* A "select all" box (shown only with this script) ticks every box of its name in its form. */
document.querySelectorAll("[data-select-all]").forEach(function (box) {
  box.closest("label").hidden = false;
  box.addEventListener("change", function () {
    box.form.querySelectorAll('input[name="' + box.dataset.selectAll + '"]').forEach(function (b) {
      b.checked = box.checked;
    });
  });
});
