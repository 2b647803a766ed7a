/* KK Portal: an import's progress bar follows its job, and the page reloads when it ends. */
(function () {
  var box = document.querySelector("[data-progress]");
  if (!box) { return; }
  var bar = box.querySelector("progress");
  var text = box.querySelector(".progress-text");
  function poll() {
    fetch(box.dataset.progress, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (!job.running) { window.location.reload(); return; }
        if (job.status === "previewing" && job.total) {
          bar.max = job.total;
          bar.value = job.done;
          text.textContent = text.textContent.replace(/^\d+/, job.done).replace(/\d+(?=\D*$)/, job.total);
        }
        setTimeout(poll, 2000);
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1500);
})();
