// Enhancements only: every page works without this file.
// On a document page, "match k of N" follows the match in view, and n / p (or the links) move
// between matches.
(function () {
  "use strict";
  var nav = document.querySelector(".match-nav");
  if (!nav) { return; }
  var total = parseInt(nav.getAttribute("data-total"), 10) || 0;
  var status = nav.querySelector(".match-status");
  var prev = nav.querySelector(".match-prev");
  var next = nav.querySelector(".match-next");
  if (!total || !status || !prev || !next) { return; }
  var current = 0;

  function show(n) {
    var previous = document.getElementById("match-" + current);
    if (previous) { previous.classList.remove("current"); }
    current = n;
    var mark = document.getElementById("match-" + n);
    if (!mark) { return; }
    mark.classList.add("current");
    status.textContent = status.getAttribute("data-template").replace("{n}", String(n));
    status.hidden = false;
    prev.setAttribute("href", "#match-" + (n > 1 ? n - 1 : total));
    next.setAttribute("href", "#match-" + (n < total ? n + 1 : 1));
  }

  // The step is taken from the match shown now, not from the link's href: two quick clicks
  // (or keys) move two matches even before the browser has reported the first hash change.
  function step(delta) {
    var n = current + delta;
    if (n < 1) { n = total; }
    if (n > total) { n = 1; }
    show(n);
    window.location.hash = "#match-" + n;
  }

  function fromHash() {
    var found = /^#match-(\d+)$/.exec(window.location.hash);
    if (found && parseInt(found[1], 10) !== current) { show(parseInt(found[1], 10)); }
  }

  next.addEventListener("click", function (event) { event.preventDefault(); step(1); });
  prev.addEventListener("click", function (event) { event.preventDefault(); step(-1); });
  window.addEventListener("hashchange", fromHash);
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "TEXTAREA")) { return; }
    if (event.key === "n") { step(1); }
    if (event.key === "p") { step(-1); }
  });
  fromHash();
}());
