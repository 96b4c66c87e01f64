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
    // For scripts that update a page in place (see the participant block below).
    live.dispatchEvent(new CustomEvent("koers:statements"));
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

// --- participant (issue 9): a participant's page keeps what they typed, counts
// characters, moves dots in place, and follows live changes without a reload.
// Every one of these has a server-side fallback: the page works without it.

// Live character counter on the statement field. It speaks politely, and only
// after typing pauses, so a screen reader is not interrupted on every key. It
// counts as the server does: runs of whitespace count as one.
document.addEventListener("DOMContentLoaded", function () {
  var out = document.querySelector("[data-koers-count-for]");
  if (!out) { return; }
  var field = document.getElementById(out.getAttribute("data-koers-count-for"));
  if (!field) { return; }
  var max = parseInt(out.getAttribute("data-max"), 10);
  function words(n) {
    var left = max - n;
    if (left >= 0) {
      return left === 1 ? out.getAttribute("data-left-one") : out.getAttribute("data-left-other").replace("#", left);
    }
    return -left === 1 ? out.getAttribute("data-over-one") : out.getAttribute("data-over-other").replace("#", -left);
  }
  function count() {
    var text = field.value.trim().split(/\s+/).join(" ");
    return Array.from(text).length;
  }
  var timer = null;
  function update() { out.textContent = words(count()); }
  out.hidden = false;
  update();
  field.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, 700);
  });
});

// The statement being typed is kept in this tab (sessionStorage) until the server
// confirms it: a phase change, a reload or a lost connection does not lose it.
// Back on the statement form it is put back; in another phase it is shown to copy.
document.addEventListener("DOMContentLoaded", function () {
  var box = document.querySelector("[data-koers-draft-key]");
  if (!box || !window.sessionStorage) { return; }
  var key = box.getAttribute("data-koers-draft-key");
  var store = window.sessionStorage;
  try {
    if (box.hasAttribute("data-koers-draft-sent")) { store.removeItem(key); }
  } catch (e) { return; }
  var kept = (store.getItem(key) || "").trim();
  var field = document.querySelector("[data-koers-statement-form] textarea[name=text]");
  function show(id, before) {
    var tpl = document.getElementById(id);
    if (!tpl || !before) { return null; }
    var node = tpl.content.firstElementChild.cloneNode(true);
    before.parentNode.insertBefore(node, before);
    return node;
  }
  if (field) {
    if (kept && !field.value) {
      field.value = kept;
      field.dispatchEvent(new Event("input"));
      show("koers-draft-restored", field.form);
    }
    field.addEventListener("input", function () {
      try { store.setItem(key, field.value); } catch (e) { /* full or disabled */ }
    });
  } else if (kept) {
    var note = show("koers-draft-kept", box.querySelector("h1"));
    if (!note) { return; }
    note.querySelector("textarea").value = kept;
    note.querySelector("[data-koers-draft-discard]").addEventListener("click", function () {
      store.removeItem(key);
      note.remove();
    });
  }
});

// Dots: + and − change the number in place and are stored one by one, in order.
// Without JavaScript each button submits the form and the server does the same.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.querySelector("form[data-koers-dots]");
  if (!form || !window.fetch) { return; }
  var budget = parseInt(form.getAttribute("data-koers-dots"), 10);
  var left = document.getElementById("dots-left");
  var words = left ? left.getAttribute("data-koers-dots-words").split("|") : [];
  var inputs = form.querySelectorAll("input[name^=dots_]");
  function used() {
    var n = 0;
    for (var i = 0; i < inputs.length; i++) { n += parseInt(inputs[i].value, 10) || 0; }
    return n;
  }
  function say() {
    var rest = budget - used();
    if (left && rest >= 0 && rest < words.length) { left.textContent = words[rest]; }
  }
  for (var i = 0; i < inputs.length; i++) { inputs[i].addEventListener("input", say); }
  var queue = Promise.resolve();
  form.addEventListener("click", function (e) {
    var btn = e.target.closest("[data-koers-dot-step]");
    if (!btn) { return; }
    var input = btn.parentNode.querySelector("input[name^=dots_]");
    var value = parseInt(input.value, 10) || 0;
    var up = btn.getAttribute("data-koers-dot-step") === "1";
    // A step the budget does not allow goes to the server, which says why.
    if ((up && used() >= budget) || (!up && value <= 0)) { return; }
    e.preventDefault();
    var body = new URLSearchParams(new FormData(form));
    body.append("stap", btn.value);
    input.value = String(value + (up ? 1 : -1));
    say();
    queue = queue.then(function () {
      return fetch(form.action, { method: "POST", body: body, credentials: "same-origin" });
    }).then(function (r) {
      if (!r.ok) { window.location.reload(); }
    }).catch(function () { window.location.reload(); });
  });
});

// The closing page and "mijn stemmen" follow new next steps, moderation and
// results in place (a reload would lose the place and the focus): the page is
// fetched again and its live part swapped in, once focus has left it.
document.addEventListener("DOMContentLoaded", function () {
  var live = document.querySelector("[data-koers-live][data-koers-refresh]");
  if (!live || !window.fetch || !window.DOMParser) { return; }
  var pending = false;
  function swap() {
    if (live.contains(document.activeElement) && document.activeElement !== document.body) {
      if (!pending) {
        pending = true;
        live.addEventListener("focusout", function later() {
          live.removeEventListener("focusout", later);
          pending = false;
          window.setTimeout(swap, 0);
        });
      }
      return;
    }
    fetch(window.location.pathname, { credentials: "same-origin" }).then(function (r) {
      return r.ok ? r.text() : null;
    }).then(function (html) {
      if (html === null) { return; }
      var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-koers-live]");
      if (!fresh) { return; }
      live.innerHTML = fresh.innerHTML;
      var hints = live.querySelectorAll(".koers-no-js-hint");
      for (var i = 0; i < hints.length; i++) { hints[i].hidden = true; }
      live.setAttribute("data-koers-updated", String(Date.now()));
    }).catch(function () {});
  }
  live.addEventListener("koers:statements", swap);
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
