// Widgets that scripts build (the rich-text editor, the section picker) get
// the name of their field's label, so screen readers announce what they are.
"use strict";
window.addEventListener("load", () => {
  function nameAfterLabel(fieldId, element) {
    const label = document.querySelector(`label[for="${fieldId}"]`);
    if (!label || !element) return;
    label.id ||= `${fieldId}-label`;
    element.setAttribute("aria-labelledby", label.id);
  }
  for (const textarea of document.querySelectorAll("textarea[data-django-prose-editor-configurable]")) {
    const row = textarea.closest(".form-row");
    nameAfterLabel(textarea.id, row && row.querySelector("div.prose-editor > .ProseMirror"));
  }
  for (const select of document.querySelectorAll("select.admin-autocomplete")) {
    const picker = select.nextElementSibling;
    if (!picker) continue;
    for (const part of picker.querySelectorAll(".select2-selection, .select2-selection__rendered")) {
      nameAfterLabel(select.id, part);
    }
  }
});
