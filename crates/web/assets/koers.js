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

// Busy pages (503): try again by themselves after the Retry-After seconds. A busy
// page request reloads its address; a vote that waited too long resends the same
// form, so the participant's choice is kept. Without JavaScript the button or link
// on the page does the same.
document.addEventListener("DOMContentLoaded", function () {
  var retry = document.querySelector("[data-koers-retry]");
  if (!retry) { return; }
  var secs = parseInt(retry.getAttribute("data-koers-retry"), 10);
  if (!(secs > 0)) { secs = 2; }
  var note = retry.querySelector("[data-koers-retry-note]");
  if (note) { note.hidden = false; }
  // A little spread, so that a room of phones does not come back all at once.
  var wait = secs * 1000 + Math.floor(Math.random() * 1000);
  window.setTimeout(function () {
    var form = retry.tagName === "FORM" ? retry : null;
    if (form) { form.submit(); return; }
    var href = retry.getAttribute("data-koers-retry-href");
    if (href) { window.location.replace(href); }
  }, wait);
});

// --- share (issue 9): copy buttons ---
// A button with data-koers-copy="<input id>" copies that field's text. It is
// hidden without JavaScript, where the read-only field can be selected by hand.
document.addEventListener("DOMContentLoaded", function () {
  var buttons = document.querySelectorAll("[data-koers-copy]");
  Array.prototype.forEach.call(buttons, function (button) {
    var field = document.getElementById(button.getAttribute("data-koers-copy"));
    if (!field) { return; }
    var status = button.parentNode.querySelector(".koers-copy-status");
    button.hidden = false;
    button.addEventListener("click", function () {
      var done = function () {
        if (status) { status.textContent = button.getAttribute("data-koers-copied") || ""; }
      };
      field.focus();
      field.select();
      if (navigator.clipboard && navigator.clipboard.writeText) {
        navigator.clipboard.writeText(field.value).then(done, function () {
          // No clipboard permission: the text is selected, so Ctrl+C works.
          if (document.execCommand && document.execCommand("copy")) { done(); }
        });
      } else if (document.execCommand && document.execCommand("copy")) {
        done();
      }
    });
  });
});
