// bodymap embed: sizes every body-map frame on this page to fit its content.
// Paste once per page, after the <iframe data-bodymap-frame> snippet(s).
// It only accepts messages from the map's own address, and only resizes the frame
// that sent them.
(function () {
  "use strict";
  var script = document.currentScript;
  var mapOrigin = new URL(script.src, window.location.href).origin;

  function frameOf(source) {
    var frames = document.querySelectorAll("iframe[data-bodymap-frame]");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === source) return frames[i];
    }
    return null;
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== mapOrigin) return;
    var data = event.data;
    if (!data || data.type !== "bodymap:height" || typeof data.height !== "number") return;
    var frame = frameOf(event.source);
    if (!frame || !(data.height > 0 && data.height < 100000)) return;
    frame.style.border = "0";
    frame.style.width = "100%";
    frame.style.height = Math.ceil(data.height) + "px";
    frame.setAttribute("scrolling", "no");
  });
})();
