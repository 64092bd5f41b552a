// Inside the clinic's website: tell the page around the frame how tall the map is, so
// the frame fits it with no scroll bar. Only the height is sent, never what was tapped,
// and only to the origins allowed to frame the map.
(function () {
  "use strict";
  if (window.parent === window) return;
  var root = document.documentElement;
  var origins = (root.getAttribute("data-parent-origins") || "").split(" ").filter(Boolean);
  origins.push(window.location.origin);
  var last = 0;

  function report() {
    var height = Math.ceil(root.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    origins.forEach(function (origin) {
      // A message for any other origin than the parent's is dropped by the browser.
      window.parent.postMessage({ type: "bodymap:height", height: height }, origin);
    });
  }

  new ResizeObserver(report).observe(root);
  window.addEventListener("load", report);
})();
