/* Filter, search and sort for the audit report. Offline, no dependencies, no inline handlers
   (the page's CSP forbids them): everything is wired up here with addEventListener. */
(function () {
  "use strict";

  /* Rows carry their filter values in data-* attributes; several values are separated by a
     newline (the report collapses whitespace in labels, so a newline never occurs inside one). */
  function values(row, name) {
    var raw = row.getAttribute("data-" + name);
    return raw === null ? [] : raw.split("\n");
  }

  function normalise(text) {
    return text.toLowerCase().replace(/\s+/g, " ").trim();
  }

  function setUpFilters(form) {
    var target = document.getElementById(form.getAttribute("data-target"));
    if (!target) return;
    var rows = Array.prototype.slice.call(target.querySelectorAll("tr[data-row]"));
    var groups = target.querySelectorAll("[data-group]");
    var shown = form.querySelector(".shown");
    var texts = rows.map(function (row) { return normalise(row.textContent); });
    var selects = Array.prototype.slice.call(form.querySelectorAll("select"));
    var search = form.querySelector("input[name=q]");

    function apply() {
      var wanted = selects.filter(function (s) { return s.value !== ""; });
      var phrase = normalise(search.value);  // the text as typed: "Outlet C" must not match every "c"
      var count = 0;
      rows.forEach(function (row, i) {
        var visible = wanted.every(function (s) { return values(row, s.name).indexOf(s.value) >= 0; }) &&
          texts[i].indexOf(phrase) >= 0;
        row.hidden = !visible;
        if (visible) count += 1;
      });
      Array.prototype.forEach.call(groups, function (group) {
        group.hidden = !group.querySelector("tr[data-row]:not([hidden])");
      });
      shown.textContent = "Showing " + count + " of " + rows.length + " rows.";
    }

    form.addEventListener("input", apply);
    form.addEventListener("change", apply);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { setTimeout(apply, 0); });
    form.hidden = false;
    apply();
  }

  /* Click a column header to sort by it; again to reverse. Cells may give a data-sort value;
     numbers sort as numbers, everything else as text. */
  function setUpSorting(table) {
    var headers = table.querySelectorAll("thead th");
    Array.prototype.forEach.call(headers, function (th, column) {
      var button = th.querySelector("button");
      if (!button) return;
      button.addEventListener("click", function () {
        var ascending = th.getAttribute("aria-sort") !== "ascending";
        Array.prototype.forEach.call(headers, function (other) { other.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        sortRows(table.tBodies[0], column, ascending);
      });
    });
  }

  function sortKey(row, column) {
    var cell = row.cells[column];
    var raw = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent.trim();
    var plain = raw.replace(/,/g, "");
    return /^-?\d*\.?\d+(e[+-]?\d+)?$/i.test(plain) ? parseFloat(plain) : raw.toLowerCase();
  }

  function sortRows(body, column, ascending) {
    var rows = Array.prototype.slice.call(body.rows);
    var keyed = rows.map(function (row, i) { return { row: row, key: sortKey(row, column), i: i }; });
    keyed.sort(function (a, b) {
      var order = compare(a.key, b.key);
      return (ascending ? order : -order) || a.i - b.i;
    });
    keyed.forEach(function (k) { body.appendChild(k.row); });
  }

  function compare(a, b) {
    if (typeof a === typeof b) return a < b ? -1 : a > b ? 1 : 0;
    return typeof a === "number" ? -1 : 1;
  }

  document.querySelectorAll("form.filters").forEach(setUpFilters);
  document.querySelectorAll("table.sortable").forEach(setUpSorting);
})();
