// Small progressive enhancements; every page works without them.
// Times are printed in UTC by the server; add the viewer's local time beside them.
function localTimes(root) {
  for (const el of root.querySelectorAll("time[data-local]")) {
    const when = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    const local = document.createElement("span");
    local.className = "local-time";
    local.textContent = " (" + when.toLocaleString(undefined, {
      dateStyle: "medium", timeStyle: "short",
    }) + " your time)";
    el.after(local);
  }
}

// Fetches `url` as HTML and puts it in `target`, when the answer is a page fragment.
async function refresh(target, url) {
  const response = await fetch(url, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  if (!response.ok || response.redirected) return false;
  target.innerHTML = await response.text();
  localTimes(target);
  return true;
}

document.addEventListener("DOMContentLoaded", () => {
  localTimes(document);

  // The dashboard's monitor list refreshes itself without a full reload.
  const monitors = document.querySelector("[data-refresh]");
  if (monitors) {
    const seconds = Number(monitors.dataset.refreshSeconds || "30");
    setInterval(() => { refresh(monitors, monitors.dataset.refresh).catch(() => {}); }, seconds * 1000);
  }

  // Search as you type: the same results the form's submit shows, fetched as a fragment.
  const results = document.querySelector("[data-search]");
  const search = document.querySelector("#provider-search input[name=q]");
  if (results && search) {
    let timer;
    search.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const q = search.value.trim();
        refresh(results, results.dataset.search + "?q=" + encodeURIComponent(q)).catch(() => {});
      }, 200);
    });
  }

  // A request to add a monitor by URL: follow it until the job has answered.
  const request = document.querySelector("[data-request]");
  if (request && request.dataset.state === "checking") {
    const poll = setInterval(async () => {
      try {
        const response = await fetch(request.dataset.request, { headers: { Accept: "application/json" } });
        const body = await response.json();
        if (body.state !== "checking") { clearInterval(poll); window.location.reload(); }
      } catch (_) { /* try again on the next tick */ }
    }, 1000);
  }

  // A group's box selects (or clears) its members.
  for (const box of document.querySelectorAll("input[data-group-box]")) {
    box.addEventListener("change", () => {
      const members = box.closest("fieldset").querySelectorAll("input[name=component]");
      for (const member of members) member.checked = box.checked;
      const chosen = document.querySelector("input[name=scope][value=chosen]");
      if (chosen && box.checked) chosen.checked = true;
    });
  }
  for (const member of document.querySelectorAll("input[name=component]")) {
    member.addEventListener("change", () => {
      const chosen = document.querySelector("input[name=scope][value=chosen]");
      if (chosen && member.checked) chosen.checked = true;
    });
  }

  // First page after signing in with no time zone: tell the server the browser's, once.
  const zoneForm = document.querySelector("#time-zone-auto");
  if (zoneForm && window.Intl) {
    const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      zoneForm.elements.time_zone.value = zone;
      fetch(zoneForm.action, {
        method: "POST", credentials: "same-origin",
        body: new URLSearchParams(new FormData(zoneForm)),
      }).catch(() => {});
    }
  }

  // Links to copy (invitations) select themselves when focused.
  for (const input of document.querySelectorAll("input.copy")) {
    input.addEventListener("focus", () => input.select());
  }
});
