// Enhancements only: every page works without this file.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so screen-reader users hear what went wrong.
  const summary = document.querySelector("[data-focus-on-load]");
  if (summary) {
    summary.focus();
  }
});

// Publish job pages: follow the job's progress without reloading, then show its outcome.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("[data-job-status]");
  if (!box) {
    return;
  }
  const bar = box.querySelector("progress");
  const stage = document.getElementById("job-stage");
  const poll = async () => {
    try {
      const response = await fetch(box.dataset.jobStatus, { headers: { Accept: "application/json" } });
      if (!response.ok) {
        return;
      }
      const status = await response.json();
      bar.value = status.progress;
      bar.textContent = `${status.progress}%`;
      if (status.state === "done" || status.state === "failed") {
        window.location.reload();
        return;
      }
      if (stage && status.stage_label) {
        stage.textContent = status.stage_label;
      }
    } catch (error) {
      // A failed poll is retried; the page's own link still works.
    }
    window.setTimeout(poll, 1000);
  };
  window.setTimeout(poll, 1000);
});

// Developer page: a copy button beside each example (shown only when the clipboard works).
document.addEventListener("DOMContentLoaded", () => {
  if (!navigator.clipboard) {
    return;
  }
  for (const button of document.querySelectorAll("[data-copy]")) {
    const source = document.getElementById(button.dataset.copy);
    if (!source) {
      continue;
    }
    button.hidden = false;
    const label = button.textContent;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(source.textContent);
        button.textContent = `${label} ✓`;
      } catch {
        button.textContent = label;
      }
    });
  }
});
