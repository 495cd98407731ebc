// Small progressive enhancements; every page works without them.
document.addEventListener("DOMContentLoaded", () => {
  // Times are printed in UTC by the server; add the viewer's local time beside them.
  for (const el of document.querySelectorAll("time[data-local]")) {
    const when = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(when.getTime())) continue;
    const local = document.createElement("span");
    local.className = "local-time";
    local.textContent = " (" + when.toLocaleString(undefined, {
      dateStyle: "medium", timeStyle: "short",
    }) + " your time)";
    el.after(local);
  }
  // Links to copy (invitations) select themselves when focused.
  for (const input of document.querySelectorAll("input.copy")) {
    input.addEventListener("focus", () => input.select());
  }
});
