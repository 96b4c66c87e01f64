// The room screen (Sessie's projector) and the countdown, issue 9. Comfort only:
// without this file the room screen is drawn by the server with a Refresh link,
// and the countdown shows the time that was left when the page was drawn.
(function () {
  "use strict";

  // ---- countdown: ticks every [data-koers-countdown] on the page -------------
  // The server draws the end time (UTC seconds) and its own clock at that moment,
  // so a room PC or phone whose clock is off still counts down the right time.
  function clock(secs) {
    var m = Math.floor(secs / 60);
    var s = secs % 60;
    return m + ":" + (s < 10 ? "0" : "") + s;
  }
  function tick() {
    var all = document.querySelectorAll("[data-koers-countdown]");
    for (var i = 0; i < all.length; i++) {
      var el = all[i];
      if (el.hidden) { continue; }
      var end = parseInt(el.getAttribute("data-koers-countdown"), 10);
      var offset = parseFloat(el.getAttribute("data-koers-offset"));
      if (isNaN(offset)) {
        var now = parseInt(el.getAttribute("data-koers-now"), 10);
        offset = now - Date.now() / 1000;
        el.setAttribute("data-koers-offset", String(offset));
      }
      var left = Math.max(0, Math.ceil(end - (Date.now() / 1000 + offset)));
      var face = el.querySelector("[data-koers-clock]");
      if (face && face.textContent !== clock(left)) { face.textContent = clock(left); }
      var done = el.querySelector("[data-koers-done]");
      if (done) { done.hidden = left > 0; }
    }
  }
  function startTicking() {
    tick();
    window.setInterval(tick, 500);
  }

  // A participant's phone: koers.js forwards the stream's `countdown` event
  // ("phase ends_at", or "none"). The countdown shows only in its own phase.
  document.addEventListener("koers-countdown", function (e) {
    var el = document.querySelector(".koers-countdown[data-koers-countdown]");
    if (!el) { return; }
    var parts = String(e.detail).split(" ");
    if (parts.length === 2 && parts[0] === el.getAttribute("data-koers-countdown-phase")) {
      el.setAttribute("data-koers-countdown", parts[1]);
      el.hidden = false;
    } else {
      el.hidden = true;
    }
    tick();
  });

  // ---- the room screen: redraw its view after every live event ---------------
  function roomScreen() {
    var screen = document.querySelector("[data-koers-room]");
    if (!screen || !window.EventSource) { return; }
    var hints = screen.querySelectorAll(".koers-no-js-hint");
    for (var i = 0; i < hints.length; i++) { hints[i].hidden = true; }
    var fragment = screen.getAttribute("data-koers-fragment");
    var target = document.getElementById("koers-room-live");
    var busy = false;
    var again = false;
    function refresh() {
      if (busy) { again = true; return; }
      busy = true;
      fetch(fragment, { credentials: "same-origin", cache: "no-store" }).then(function (r) {
        // A revoked or replaced link: show the page that says so.
        if (r.status === 404) { window.location.reload(); return null; }
        return r.ok ? r.text() : null;
      }).then(function (html) {
        if (html !== null && html !== undefined) {
          target.innerHTML = html;
          tick();
        }
      }).catch(function () {}).then(function () {
        // At most one redraw every half second, however busy the room is.
        window.setTimeout(function () {
          busy = false;
          if (again) { again = false; refresh(); }
        }, 500);
      });
    }
    var source = new EventSource(screen.getAttribute("data-koers-room"));
    ["snapshot", "counts", "phase", "statements", "countdown", "results"].forEach(function (name) {
      source.addEventListener(name, refresh);
    });
  }

  // ---- copy a link (the projector link page) ---------------------------------
  function copyButtons() {
    var buttons = document.querySelectorAll("[data-koers-copy]");
    for (var i = 0; i < buttons.length; i++) {
      (function (button) {
        var field = document.getElementById(button.getAttribute("data-koers-copy"));
        var status = document.querySelector("[data-koers-copy-status]");
        if (!field || !navigator.clipboard) { return; }
        button.hidden = false;
        button.addEventListener("click", function () {
          navigator.clipboard.writeText(field.value).then(function () {
            if (status) { status.textContent = button.getAttribute("data-koers-copied-text"); }
          }, function () {
            field.select();
          });
        });
      })(buttons[i]);
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    roomScreen();
    copyButtons();
    startTicking();
  });
})();
