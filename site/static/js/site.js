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

// Developer page: send the try-it form to the rows API and show the answer in place.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("[data-try-rows]");
  const result = document.getElementById("try-result");
  if (!form || !result) {
    return;
  }
  const status = document.getElementById("try-status");
  const shown = document.getElementById("try-url");
  const body = document.getElementById("try-body");
  const english = document.documentElement.lang.startsWith("en");
  // Read through getAttribute and namedItem: a control named "dataset" shadows form.dataset.
  const template = form.getAttribute("data-try-rows");
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const slug = form.elements.namedItem("dataset").value;
    const query = form.elements.namedItem("query").value.trim().replace(/^\?/, "");
    const path = template.replace("__slug__", encodeURIComponent(slug));
    const url = new URL(query ? `${path}?${query}` : path, window.location.href);
    result.hidden = false;
    shown.textContent = url.href;
    status.textContent = english ? "Asking…" : "查詢中…";
    body.textContent = "";
    try {
      // The page's language, not the browser's: the API's messages then match the page.
      const headers = { Accept: "application/json", "Accept-Language": document.documentElement.lang };
      const response = await fetch(url, { headers });
      const answer = await response.json();
      body.textContent = JSON.stringify(answer, null, 2);
      if (response.ok) {
        const rows = answer.rows.length;
        const total = answer.total === null ? "?" : answer.total;
        status.textContent = english
          ? `HTTP ${response.status}: ${rows} rows of ${total} matching.`
          : `HTTP ${response.status}：顯示 ${rows} 列，共 ${total} 列符合。`;
      } else {
        status.textContent = `HTTP ${response.status}: ${answer.detail || answer.title}`;
      }
    } catch (error) {
      status.textContent = english ? "The API did not answer; try again." : "API 沒有回應，請再試一次。";
    }
  });
});
