// Progressive enhancement for the body map: htmx swaps the panel; this file keeps
// the figure's highlight, the keyboard focus and the screen-reader status in step.
// Without JavaScript every link is a full page and none of this is needed.
(function () {
  "use strict";
  var lastRegion = null;

  // The highlighted region on the figure and in the list follows the panel.
  function markSelected(regionId) {
    document.querySelectorAll(".is-selected").forEach(function (el) {
      el.classList.remove("is-selected");
      el.removeAttribute("aria-current");
    });
    if (!regionId) return;
    var id = CSS.escape(regionId);
    document.querySelectorAll('.region[data-region="' + id + '"]').forEach(function (el) {
      el.classList.add("is-selected");
      el.setAttribute("aria-current", "true");
    });
    document.querySelectorAll('.region-list a[href$="/regions/' + id + '"]').forEach(function (el) {
      el.classList.add("is-selected");
    });
  }

  // After a swap: focus the new panel's heading, or, when the patient went back to the
  // map, the region they had chosen, so keyboard users continue where they were.
  function panelChanged(panel, moveFocus) {
    var heading = panel.querySelector("#panel-heading");
    if (!heading) return;
    var regionId = heading.getAttribute("data-region");
    var previous = lastRegion;
    markSelected(regionId);
    if (regionId) lastRegion = regionId;
    document.getElementById("status").textContent = "Showing " + heading.textContent.trim();
    if (!moveFocus) return;
    var back = !regionId && !panel.querySelector("[data-pain-point]") && previous &&
      document.querySelector('.region[data-region="' + CSS.escape(previous) + '"]');
    (back || heading).focus();
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.target || event.target;
    if (target && target.id === "panel") panelChanged(target, true);
  });

  // Back and Forward swap the whole page: re-read the panel without stealing focus.
  document.addEventListener("htmx:historyRestore", function () {
    var panel = document.getElementById("panel");
    if (panel) panelChanged(panel, false);
  });

  var initial = document.querySelector("#panel-heading[data-region]");
  if (initial) lastRegion = initial.getAttribute("data-region");
})();
