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
  // The place is saved whenever the page is left and given back when the page returns to it (a new
  // build's reload, the reader's F5, Back): the pages' pictures load after this script, so the place
  // is set again as the page grows, until the page has loaded or the reader scrolls.
  var navigation = performance.getEntriesByType ? performance.getEntriesByType("navigation")[0] : null;
  var returning = !navigation || navigation.type === "reload" || navigation.type === "back_forward";
  sessionStorage.removeItem(key);
  if (saved !== null && returning) { restore(parseFloat(saved)); }
  window.addEventListener("pagehide", function () { sessionStorage.setItem(key, String(window.scrollY)); });
  function restore(target) {
    function place() { if (Math.abs(window.scrollY - target) > 1) { window.scrollTo(0, target); } }
    var growing = window.ResizeObserver ? new ResizeObserver(place) : null;
    var inputs = ["wheel", "touchstart", "keydown", "mousedown"];
    function stop() {
      if (growing) { growing.disconnect(); }
      inputs.forEach(function (name) { window.removeEventListener(name, stop, true); });
    }
    place();
    if (growing) { growing.observe(document.body); }
    inputs.forEach(function (name) { window.addEventListener(name, stop, true); });
    if (document.readyState === "complete") { stop(); } else {
      window.addEventListener("load", function () { place(); stop(); });
    }
  }
  function reload() {
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
