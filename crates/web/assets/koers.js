// Comfort only: every page works without this file.
// Moves focus to an error summary after a failed form post, so screen reader and
// keyboard users land on the list of what to fix.
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-koers-focus]");
  if (summary) { summary.focus(); }
});

// Live pages: the projector swaps in its live part after each recompute; a
// participant's page reloads when the facilitator changes the phase (or, when
// waiting for statements, when new ones arrive). Without JavaScript a "Refresh"
// link does the same.
document.addEventListener("DOMContentLoaded", function () {
  var live = document.querySelector("[data-koers-live]");
  if (!live || !window.EventSource) { return; }
  var hints = document.querySelectorAll(".koers-no-js-hint");
  for (var i = 0; i < hints.length; i++) { hints[i].hidden = true; }
  var source = new EventSource(live.getAttribute("data-koers-live"));
  var fragment = live.getAttribute("data-koers-fragment");
  var phase = live.getAttribute("data-koers-phase");
  var busy = false;
  var again = false;
  function refreshFragment() {
    if (busy) { again = true; return; }
    busy = true;
    fetch(fragment, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html !== null) { document.getElementById("koers-live").innerHTML = html; }
    }).catch(function () {}).then(function () {
      busy = false;
      if (again) { again = false; refreshFragment(); }
    });
  }
  function typing() {
    var el = document.activeElement;
    return el && (el.tagName === "TEXTAREA" || el.tagName === "INPUT") && el.value;
  }
  source.addEventListener("snapshot", function () {
    if (fragment) { refreshFragment(); }
  });
  source.addEventListener("counts", function (e) {
    var parts = String(e.data).split(":");
    var votes = document.querySelector("[data-koers-count=votes]");
    var people = document.querySelector("[data-koers-count=participants]");
    if (votes) { votes.textContent = parts[0]; }
    if (people) { people.textContent = parts[1]; }
  });
  source.addEventListener("phase", function () {
    if (!fragment && !typing()) { window.location.reload(); }
  });
  source.addEventListener("statements", function () {
    // Only a participant who has voted on everything is waiting for new statements.
    if (!fragment && phase === "stemmen" && !document.querySelector(".koers-vote")) {
      window.location.reload();
    }
  });
});
