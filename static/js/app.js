// Start GOV.UK Frontend's components once the page has loaded. The classes on
// <body> are set here rather than by an inline script, which the CSP forbids.
import { initAll } from "../vendor/govuk-frontend/govuk-frontend.min.js";

document.body.classList.add("js-enabled", "govuk-frontend-supported");
initAll();
