/* Refresh each job progress bar on the page from GET /api/v1/jobs/{id}/ until the job ends.
   Shipped with the project (no CDN); the admin session authenticates the request. */
(function () {
  "use strict";
  var EVERY_MS = 1000;

  function when(iso) {
    return iso ? new Date(iso).toLocaleString() : "unknown";
  }

  function render(box, job) {
    var share = Math.max(0, Math.min(1, job.progress || 0));
    box.dataset.state = job.state;
    box.querySelector("progress").value = share;
    box.querySelector(".job-progress-state").textContent = job.state;
    box.querySelector(".job-progress-percent").textContent = Math.floor(share * 100) + " %";
    box.querySelector(".job-progress-claims").textContent = job.claims_so_far.toLocaleString();
    box.querySelector(".job-progress-started").textContent = job.started_at ? when(job.started_at) : "not yet";
    box.querySelector(".job-progress-end").textContent = when(job.estimated_end_at);
    var outcome = box.querySelector(".job-progress-outcome");
    if (job.state === "succeeded" || job.state === "failed") {
      outcome.hidden = false;
      outcome.textContent = "";
      if (job.state === "failed") {
        outcome.textContent = "Failed: " + job.last_error;
      } else if (box.dataset.claimsUrl) {
        var link = document.createElement("a");
        link.href = box.dataset.claimsUrl;
        link.textContent = "See the " + job.claims_so_far.toLocaleString() + " claims";
        outcome.appendChild(link);
      } else {
        outcome.textContent = "Done.";
      }
      return true;
    }
    return false;
  }

  function follow(box) {
    if (box.dataset.state === "succeeded" || box.dataset.state === "failed") {
      return;
    }
    fetch(box.dataset.apiUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job || !render(box, job)) {
          setTimeout(function () { follow(box); }, EVERY_MS);
        }
      })
      .catch(function () { setTimeout(function () { follow(box); }, EVERY_MS * 5); });
  }

  function start() {
    document.querySelectorAll(".job-progress[data-api-url]").forEach(follow);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
