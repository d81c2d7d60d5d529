// Start GOV.UK Frontend's components once the page has loaded. The classes on
// <body> are set here rather than by an inline script, which the CSP forbids.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();

// Content that htmx swaps in (an inline form with its error summary, say) gets its
// components started too. htmx also announces the page itself, which is done already.
document.body.addEventListener("htmx:load", (event) => {
  if (event.detail.elt !== document.body) initAll({ scope: event.detail.elt });
});

// Copy buttons: shown only when JavaScript can copy; the result is announced to screen readers.
for (const button of document.querySelectorAll("[data-copy-target]")) {
  const target = document.getElementById(button.dataset.copyTarget);
  const status = document.getElementById("copy-status");
  if (!target || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(target.value);
      status.textContent = "Copied";
    } catch {
      target.select();
      status.textContent = "Select the text and copy it with Control and C";
    }
  });
}

// Autosave says what is happening: saving, saved (the answer says when), or not saved and why.
const saveStatus = () => document.getElementById("save-status");
document.body.addEventListener("htmx:beforeRequest", (event) => {
  if (event.detail.elt.classList.contains("app-autosave") && saveStatus()) saveStatus().textContent = "Saving…";
});
for (const failure of ["htmx:responseError", "htmx:sendError"]) {
  document.body.addEventListener(failure, (event) => {
    if (event.detail.elt.classList.contains("app-autosave") && saveStatus()) {
      saveStatus().textContent =
        "Not saved: the service could not be reached or refused the save. Select Save, or copy your text somewhere safe.";
    }
  });
}
