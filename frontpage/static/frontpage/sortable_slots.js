// Places on a curated page are reordered by dragging their rows; the
// position numbers follow (they stay editable for the keyboard).
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const group = document.querySelector(".sortable-slots");
  if (!group) return;
  const body = group.querySelector("tbody");
  let dragged = null;

  // Only rows holding a story are numbered: a blank row stays blank, so
  // the form does not take it for a place to save.
  function renumber() {
    const placed = [...body.querySelectorAll("tr.form-row:not(.empty-form)")].filter(
      (row) => row.querySelector("select[name$='-article']")?.value,
    );
    placed.forEach((row, index) => {
      row.querySelector("input[name$='-position']").value = index + 1;
    });
  }

  function makeDraggable(row) {
    if (row.classList.contains("empty-form") || row.draggable) return;
    row.draggable = true;
    row.addEventListener("dragstart", (event) => {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
    });
    row.addEventListener("dragend", () => {
      row.classList.remove("dragging");
      dragged = null;
      renumber();
    });
  }

  body.addEventListener("dragover", (event) => {
    const target = event.target.closest("tr.form-row");
    if (!dragged || !target || target === dragged || target.classList.contains("empty-form")) return;
    event.preventDefault();
    const after = event.clientY > target.getBoundingClientRect().top + target.offsetHeight / 2;
    target.parentNode.insertBefore(dragged, after ? target.nextSibling : target);
  });
  body.addEventListener("drop", (event) => event.preventDefault());

  body.querySelectorAll("tr.form-row").forEach(makeDraggable);
  // Rows added with "Add another" become draggable too.
  new MutationObserver(() => body.querySelectorAll("tr.form-row").forEach(makeDraggable))
    .observe(body, { childList: true });
});
