import { initAll } from "./vendor/nhsuk-frontend/nhsuk-frontend.min.js";
initAll();

// Tables of columns fit a phone as the design system's responsive table: the markup the nhsuk table macro writes
// with `responsive: true` (roles kept explicit, since stacked rows are no longer laid out as a table, and each
// cell's column heading inside it, hidden from screen readers, which read the header cell). A table with cells
// spanning columns, or without a heading row, or a grid read across (.ml-grid-scroll), is left to scroll inside
// itself (medlead.css).
function responsive(table) {
  const head = table.tHead;
  if (!head || head.rows.length !== 1 || table.closest(".ml-grid-scroll") || table.classList.contains("ml-no-stack")) {
    return;
  }
  const headings = Array.from(head.rows[0].cells);
  if (headings.some((cell) => cell.colSpan > 1)) return;
  const rows = Array.from(table.tBodies).flatMap((body) => Array.from(body.rows));
  if (rows.some((row) => Array.from(row.cells).some((cell) => cell.colSpan > 1 || cell.rowSpan > 1))) return;
  table.classList.add("nhsuk-table--responsive");
  table.setAttribute("role", "table");
  head.rows[0].setAttribute("role", "row");
  headings.forEach((cell) => cell.setAttribute("role", "columnheader"));
  for (const row of rows) {
    row.setAttribute("role", "row");
    Array.from(row.cells).forEach((cell, i) => {
      cell.setAttribute("role", cell.tagName === "TH" ? "rowheader" : "cell");
      const label = (headings[i] && headings[i].textContent.trim()) || "";
      if (!label) return;
      // two parts, as the stacked cell lays out its heading and its value side by side
      const value = document.createElement("span");
      value.append(...cell.childNodes);
      const span = document.createElement("span");
      span.className = "nhsuk-table-responsive__heading";
      span.setAttribute("aria-hidden", "true");
      span.textContent = label + " ";
      cell.append(span, value);
    });
  }
}

document.querySelectorAll("table.nhsuk-table").forEach(responsive);
