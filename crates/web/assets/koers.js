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
  // The countdown (room screen, issue 9): room.js shows it; "phase ends_at" or "none".
  source.addEventListener("countdown", function (e) {
    document.dispatchEvent(new CustomEvent("koers-countdown", { detail: String(e.data) }));
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

// --- console (issue 9): the facilitator's console follows the room live. On
// each event of the room it fetches the console's live part (at most one fetch
// at a time, and at most about once a second) and swaps each
// [data-live-part] region for the new one. The focused button is found again
// by its id, so a facilitator in the middle of the queue keeps their place. A
// new statement in the queue is announced politely. Without JavaScript the
// "Refresh" link reloads the page.
document.addEventListener("DOMContentLoaded", function () {
  var marker = document.querySelector("[data-console-live]");
  if (!marker || !window.EventSource || !window.fetch || !window.DOMParser) { return; }
  var hint = marker.querySelector(".koers-console-no-js");
  if (hint) { hint.hidden = true; }
  var fragment = marker.getAttribute("data-console-fragment");
  var source = new EventSource(marker.getAttribute("data-console-live"));
  var busy = false, again = false, last = 0, timer = null;
  function pending(root) {
    var q = root.querySelector("[data-live-part=queue]");
    return q ? parseInt(q.getAttribute("data-console-pending"), 10) || 0 : 0;
  }
  function swap(html) {
    var doc = new DOMParser().parseFromString(html, "text/html");
    var before = pending(document);
    var focused = document.activeElement && document.activeElement.id;
    var parts = doc.querySelectorAll("[data-live-part]");
    for (var i = 0; i < parts.length; i++) {
      var name = parts[i].getAttribute("data-live-part");
      var old = document.querySelector("[data-live-part='" + name + "']");
      if (!old) { continue; }
      // Keep an open <details> open across the swap.
      var open = old.querySelectorAll("details[open]").length > 0;
      var fresh = document.importNode(parts[i], true);
      if (open) {
        var d = fresh.querySelector("details");
        if (d) { d.open = true; }
      }
      old.parentNode.replaceChild(fresh, old);
    }
    if (focused) {
      var again2 = document.getElementById(focused);
      if (again2) { again2.focus(); }
    }
    var after = pending(document);
    var announce = document.getElementById("console-announce");
    if (announce && after > before) {
      var q = document.querySelector("[data-live-part=queue]");
      announce.textContent = q ? q.getAttribute("data-console-summary") : "";
    }
  }
  function refresh() {
    if (busy) { again = true; return; }
    var wait = 1000 - (Date.now() - last);
    if (wait > 0) {
      if (!timer) { timer = window.setTimeout(function () { timer = null; refresh(); }, wait); }
      return;
    }
    busy = true;
    last = Date.now();
    fetch(fragment, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html !== null) { swap(html); }
    }).catch(function () {}).then(function () {
      busy = false;
      if (again) { again = false; refresh(); }
    });
  }
  function now() { last = 0; refresh(); }
  // A new statement or a phase change shows at once; counts and analyses
  // at most about once a second.
  source.addEventListener("statements", now);
  source.addEventListener("phase", now);
  source.addEventListener("counts", refresh);
  source.addEventListener("snapshot", refresh);
});
