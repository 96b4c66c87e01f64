// Comfort only: every page works without this file.
// Moves focus to an error summary after a failed form post, so screen reader and
// keyboard users land on the list of what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-koers-focus]");
  if (summary) { summary.focus(); }
});
