// The preview page: show the pointer's position in the figure's own units.
(function () {
  "use strict";
  var output = document.getElementById("pointer");
  document.querySelectorAll(".preview-figure").forEach(function (svg) {
    svg.addEventListener("pointermove", function (event) {
      var point = new DOMPoint(event.clientX, event.clientY).matrixTransform(svg.getScreenCTM().inverse());
      var view = svg.closest("[data-view]").getAttribute("data-view");
      output.textContent = view + " view: x " + point.x.toFixed(1) + ", y " + point.y.toFixed(1);
    });
  });
})();
