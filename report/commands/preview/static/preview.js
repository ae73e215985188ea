// koho serve: reload this page when the server has a newer build (a long poll), keeping the
// scroll position across the reload.
(function () {
  "use strict";
  var token = document.currentScript.dataset.token;
  // The page below the fixed toolbar starts where the toolbar (and the problems under it) ends:
  // its lines wrap on a narrow or zoomed window, so its height is measured, not assumed.
  var chrome = document.getElementById("koho-preview");
  function measure() {
    var fixed = chrome && getComputedStyle(chrome).position === "fixed";
    document.documentElement.style.setProperty("--koho-chrome-height", fixed ? chrome.offsetHeight + "px" : "0px");
  }
  if (chrome && window.ResizeObserver) { new ResizeObserver(measure).observe(chrome); }
  window.addEventListener("resize", measure);
  measure();
  if ("scrollRestoration" in history) { history.scrollRestoration = "manual"; }  // restored below, once
  var key = "koho-scroll:" + location.pathname;
  var saved = sessionStorage.getItem(key);
  if (saved !== null) {
    sessionStorage.removeItem(key);
    window.scrollTo(0, parseFloat(saved));
  }
  function reload() {
    sessionStorage.setItem(key, String(window.scrollY));
    location.reload();
  }
  function poll() {
    fetch("/_koho/changes?token=" + encodeURIComponent(token), { cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error(String(response.status)); }
        return response.json();
      })
      .then(function (answer) {
        if (answer.token !== token) { reload(); } else { poll(); }
      })
      .catch(function () { setTimeout(poll, 1000); });  // server restarting or stopped
  }
  poll();
})();
