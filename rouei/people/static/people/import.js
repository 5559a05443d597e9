// The import's progress: polls the import's JSON status every second until it has ended.
(function () {
  var box = document.getElementById("progress");
  if (!box) { return; }
  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin"})
      .then(function (r) { return r.json(); })
      .then(function (d) {
        box.querySelector("progress").value = d.percent;
        document.getElementById("progress-text").textContent = d.percent + "%";
        if (d.status === "queued" || d.status === "running") { setTimeout(poll, 1000); }
        else { window.location.reload(); }
      })
      .catch(function () { setTimeout(poll, 5000); });
  }
  setTimeout(poll, 1000);
})();
