// Progressive enhancement for the body map: htmx swaps the panel; this file keeps
// the figure's highlight, the keyboard focus and the screen-reader status in step.
// Without JavaScript every link is a full page and none of this is needed.
(function () {
  "use strict";
  var lastRegion = null;

  // htmx 4 has no settings for these (htmx 2 had allowEval and allowScriptTags): the only
  // extension the page allows (htmx-config "extensions") makes sure that no attribute is
  // ever run as JavaScript (hx-on, js: values, event filters), even if the CSP were
  // loosened, and that a script tag in an answer is dropped before it reaches the page.
  function refuseToEvaluate() {
    return { call: function () { return undefined; } };
  }
  if (window.htmx) {
    htmx.registerExtension("bodymap", {
      init: function (api) { api.initSecurity(null, refuseToEvaluate, refuseToEvaluate); },
      htmx_before_swap: function (_, detail) {
        detail.tasks.forEach(function (task) {
          if (!task.fragment) return;
          task.fragment.querySelectorAll("script").forEach(function (script) { script.remove(); });
        });
      },
    });
  }

  // What the server says the page's links are now (templates/_macros.html, #page-links):
  // the address of each toggle, the query that other links of the map keep, and the
  // language switch. The page never works out an address itself.
  function pageLinks() {
    var data = document.getElementById("page-links");
    if (!data) return null;
    var places = data.getAttribute("data-places");
    return { places: places ? places.split(" ") : [], links: JSON.parse(data.value) };
  }

  // The chosen places are highlighted on the figure and in the list, and every link
  // that adds or removes a place points where the server says (for "open in a new tab").
  function markSelected(page) {
    document.querySelectorAll("a[data-region], a[data-toggle]").forEach(function (el) {
      var id = el.getAttribute("data-region") || el.getAttribute("data-toggle");
      var chosen = page.places.indexOf(id) !== -1;
      var marks = !el.closest(".chosen-list"); // "Remove" links are not places to mark
      el.classList.toggle("is-selected", chosen && marks);
      if (chosen && marks) el.setAttribute("aria-current", "true");
      else el.removeAttribute("aria-current");
      if (el.hasAttribute("hx-push-url")) return; // one place per page: nothing to redo
      var toggles = page.links.toggle;
      el.setAttribute("href", toggles[id] || toggles["*"].split("__id__").join(id));
    });
    // Links outside the panel that keep the chosen places (the enlarged views, "See the
    // whole body") take the new ones.
    document.querySelectorAll("a[data-keep]").forEach(function (el) {
      var url = new URL(el.getAttribute("href"), location.href);
      url.search = page.links.keep ? "?" + page.links.keep : "";
      el.setAttribute("href", url.pathname + url.search + url.hash);
    });
  }

  // A message for screen readers, in the page's language: the texts come with the page
  // (data-* on #status), with %(name)s-style blanks filled in here.
  function say(key, values) {
    var status = document.getElementById("status");
    var text = key ? status.getAttribute("data-" + key) || "" : "";
    status.textContent = text.replace(/%\((\w+)\)s/g, function (_, name) { return values[name]; });
  }

  // The language switch leads to the page now shown, which htmx may have changed.
  function languageLinks(page) {
    document.querySelectorAll(".languages a[hreflang]").forEach(function (link) {
      var href = page.links.languages[link.getAttribute("hreflang")];
      if (href) link.setAttribute("href", href);
    });
  }

  // Search results arrive as the patient types: say how many, keep the marks right.
  function resultsChanged(results) {
    var page = pageLinks();
    if (page) markSelected(page);
    var heading = results.querySelector("#found-heading");
    var count = heading ? heading.getAttribute("data-found") : null;
    if (count === null) say(null);
    else say(count === "0" ? "nothing" : count === "1" ? "one" : "many", { count: count });
  }

  // "You chose: …" by the figure names the places the panel now shows.
  function youChose(panel, heading) {
    var line = document.getElementById("you-chose");
    if (!line) return;
    var names = Array.prototype.map.call(panel.querySelectorAll(".chosen-name"), function (el) {
      return el.textContent.trim();
    });
    if (!names.length && heading.getAttribute("data-region")) names = [heading.textContent.trim()];
    line.querySelector(".you-chose-names").textContent = names.join("; ");
    line.hidden = names.length === 0;
  }

  // On a phone the panel is under the figure: its heading goes to the top of the screen, so
  // the warning signs and their Call button are on the first screen (as #panel-heading in
  // the address does without JavaScript). Beside the figure it is in view already.
  var besideFigure = window.matchMedia("(min-width: 50rem)");
  function showHeading(heading) {
    heading.focus({ preventScroll: true });
    if (besideFigure.matches) heading.scrollIntoView({ block: "nearest" });
    else heading.scrollIntoView({ block: "start" });
  }

  // The Book/Call bar stays at the bottom of a phone's screen unless, with large text, it
  // would take more than a fifth of it; then it stays where it is in the panel.
  function fitActionBar() {
    document.querySelectorAll(".action-bar").forEach(function (bar) {
      bar.classList.remove("action-bar-static");
      if (bar.offsetHeight > window.innerHeight / 5) bar.classList.add("action-bar-static");
    });
  }
  window.addEventListener("resize", fitActionBar);
  fitActionBar();

  // Folded warning signs print open; they are folded again afterwards.
  var openedForPrint = [];
  window.addEventListener("beforeprint", function () {
    openedForPrint = Array.prototype.filter.call(document.querySelectorAll("details"), function (el) {
      return !el.open;
    });
    openedForPrint.forEach(function (el) { el.open = true; });
  });
  window.addEventListener("afterprint", function () {
    openedForPrint.forEach(function (el) { el.open = false; });
    openedForPrint = [];
  });

  // The list of places by name: each choice is the chosen places and then its own (the
  // last word), and the form's other fields are the panel's, now current.
  function pickerState(page) {
    var picker = document.getElementById("place-picker");
    var chosen = document.getElementById("chosen");
    if (!picker || !chosen) return;
    var state = picker.querySelector(".place-picker-state");
    state.replaceChildren.apply(state, Array.prototype.filter.call(
      chosen.querySelectorAll("input"), function (input) { return input.name !== "r"; }
    ).map(function (input) { return input.cloneNode(); }));
    Array.prototype.forEach.call(picker.querySelectorAll("select option"), function (option, n) {
      var own = n === 0 ? [] : [option.value.split(" ").pop()];
      option.value = page.places.concat(own).join(" ");
    });
  }

  // A place's name as the page writes it (the list of places, or the figure's title).
  function placeName(id) {
    var quoted = CSS.escape(id);
    var found = document.querySelector('#region-list [data-toggle="' + quoted + '"]') ||
      document.querySelector('a[data-region="' + quoted + '"] title');
    return found ? found.textContent.trim() : id;
  }

  // What changed, for the status line: the one place added or removed (none: null).
  function changed(before, after) {
    var added = after.filter(function (id) { return before.indexOf(id) === -1; });
    var removed = before.filter(function (id) { return after.indexOf(id) === -1; });
    if (added.length + removed.length !== 1) return null;
    return added.length ? { key: "added", id: added[0] } : { key: "removed", id: removed[0] };
  }
  var shownPlaces = (pageLinks() || { places: [] }).places;

  // After a swap: focus the new panel's heading, or, when the patient went back to the
  // map, the region they had chosen, so keyboard users continue where they were.
  function panelChanged(panel, moveFocus) {
    var heading = panel.querySelector("#panel-heading");
    if (!heading) return;
    var regionId = heading.getAttribute("data-region");
    var previous = lastRegion;
    var page = pageLinks();
    var change = null;
    if (page) {
      markSelected(page);
      languageLinks(page);
      change = changed(shownPlaces, page.places);
      shownPlaces = page.places;
    }
    if (page) pickerState(page);
    youChose(panel, heading);
    fitActionBar();
    if (regionId) lastRegion = regionId;
    var shown = { name: heading.textContent.trim() };
    var place = change && placeName(change.id);
    // One place: the heading is its name, said once.
    if (change && change.key === "added" && place === shown.name) say("added-alone", { place: place });
    else if (change) say(change.key, { place: place, name: shown.name });
    else say("showing", shown);
    if (!moveFocus) return;
    // The start panel is the only one whose heading says no place is chosen.
    var start = heading.getAttribute("data-selection") === "";
    var back = start && previous &&
      document.querySelector('.region[data-region="' + CSS.escape(previous) + '"]');
    if (back) back.focus();
    else showHeading(heading);
  }

  document.addEventListener("htmx:after:settle", function (event) {
    var target = event.target;
    if (target.id === "panel") panelChanged(target, true);
    if (target.id === "search-results") resultsChanged(target);
    // Back and Forward fetch the page again and swap the whole body (htmx 4 keeps no
    // copy of it): re-read the panel without stealing focus.
    if (target === document.body) {
      var panel = document.getElementById("panel");
      if (panel) panelChanged(panel, false);
    }
  });

  // Space acts on a toggle (a place on the figure or in the list, "Remove") as Enter does,
  // as it would on a button, instead of scrolling the page.
  document.addEventListener("keydown", function (event) {
    if (event.key !== " " || event.altKey || event.ctrlKey || event.metaKey) return;
    var toggle = event.target.closest && event.target.closest("a[data-region], a[data-toggle]");
    if (!toggle) return;
    event.preventDefault();
    if (event.repeat) return;
    toggle.dispatchEvent(new MouseEvent("click", { bubbles: true, cancelable: true, view: window }));
  });

  // With JavaScript a search sends the chosen places from the panel, which stay current;
  // the copies in the search form are for a browser without it.
  document.querySelectorAll("form.search input[name=r]").forEach(function (el) { el.remove(); });

  // The summary's print button needs JavaScript; without it the browser's own Print works.
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });

  var initial = document.querySelector("#panel-heading[data-region]");
  if (initial) lastRegion = initial.getAttribute("data-region");
})();
