// extract report: sort and filter the tables marked class="sortable". No network, no
// libraries. Click a column header to sort (again to reverse); type in the box above a
// table to keep the rows holding that text. The page's query string can set both at load:
// report.html?sort=transfers:quantity:desc&filter=transfers:Mi-171 (table name as in
// data-table, column as its header text).
(function () {
  "use strict";
  function cellValue(row, index, numeric) {
    var cell = row.cells[index];
    var text = cell ? (cell.getAttribute("data-sort") || cell.textContent).trim() : "";
    if (!numeric) { return text.toLowerCase(); }
    var number = parseFloat(text);
    return isNaN(number) ? -Infinity : number;
  }
  function sortBy(table, index, descending) {
    var head = table.tHead.rows[0].cells[index];
    var numeric = head.classList.contains("num");
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.forEach(function (row, position) { row.setAttribute("data-position", position); });
    rows.sort(function (a, b) {
      var x = cellValue(a, index, numeric), y = cellValue(b, index, numeric);
      var order = x < y ? -1 : x > y ? 1 : 0;
      if (descending) { order = -order; }
      return order || a.getAttribute("data-position") - b.getAttribute("data-position");
    });
    rows.forEach(function (row) { body.appendChild(row); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.removeAttribute("aria-sort");
    });
    head.setAttribute("aria-sort", descending ? "descending" : "ascending");
  }
  function filterRows(table, text, counter) {
    var wanted = text.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var keep = !wanted || row.textContent.toLowerCase().indexOf(wanted) >= 0;
      row.hidden = !keep;
      shown += keep ? 1 : 0;
    });
    counter.textContent = shown + " of " + table.tBodies[0].rows.length + " rows";
  }
  function columnIndex(table, name) {
    var cells = table.tHead.rows[0].cells;
    for (var i = 0; i < cells.length; i++) {
      if (cells[i].textContent.trim().toLowerCase() === name.toLowerCase()) { return i; }
    }
    return -1;
  }
  var controls = {};
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    var name = table.getAttribute("data-table") || "";
    var box = document.createElement("div");
    box.className = "filter";
    var input = document.createElement("input");
    input.type = "search";
    input.placeholder = "Filter rows…";
    input.setAttribute("aria-label", "Filter the " + name + " table");
    var counter = document.createElement("span");
    counter.className = "muted count";
    box.appendChild(input);
    box.appendChild(counter);
    var holder = table.parentNode.classList.contains("scroll") ? table.parentNode : table;
    holder.parentNode.insertBefore(box, holder);
    input.addEventListener("input", function () { filterRows(table, input.value, counter); });
    filterRows(table, "", counter);
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.tabIndex = 0;
      th.title = "Sort by this column";
      function toggle() {
        sortBy(table, index, th.getAttribute("aria-sort") === "ascending");
      }
      th.addEventListener("click", toggle);
      th.addEventListener("keydown", function (event) {
        if (event.key === "Enter" || event.key === " ") { event.preventDefault(); toggle(); }
      });
    });
    controls[name] = { table: table, input: input, counter: counter };
  });
  var query = new URLSearchParams(window.location.search);
  query.getAll("sort").forEach(function (value) {
    var parts = value.split(":");
    var found = controls[parts[0]];
    if (!found || parts.length < 2) { return; }
    var index = columnIndex(found.table, parts[1]);
    if (index >= 0) { sortBy(found.table, index, parts[2] === "desc"); }
  });
  query.getAll("filter").forEach(function (value) {
    var cut = value.indexOf(":");
    var found = controls[value.slice(0, cut)];
    if (!found || cut < 0) { return; }
    found.input.value = value.slice(cut + 1);
    filterRows(found.table, found.input.value, found.counter);
  });
  document.documentElement.setAttribute("data-script", "ready");
})();
