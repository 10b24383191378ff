// Widgets that scripts build (the rich-text editor, the section picker) get
// the name of their field's label, so screen readers announce what they are.
// They appear at different moments, so each field is watched until its
// widget exists, then named.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  function nameAfterLabel(fieldId, elements) {
    const label = document.querySelector(`label[for="${fieldId}"]`);
    if (!label) return;
    label.id ||= `${fieldId}-label`;
    for (const element of elements) element.setAttribute("aria-labelledby", label.id);
  }

  function whenBuilt(container, selector, name) {
    const build = () => {
      const parts = container.querySelectorAll(selector);
      if (parts.length === 0) return false;
      name(parts);
      return true;
    };
    if (build()) return;
    const observer = new MutationObserver(() => build() && observer.disconnect());
    observer.observe(container, { childList: true, subtree: true });
  }

  for (const textarea of document.querySelectorAll("textarea[data-django-prose-editor-configurable]")) {
    const row = textarea.closest(".form-row") || textarea.parentElement;
    whenBuilt(row, "div.prose-editor > .ProseMirror", (parts) => nameAfterLabel(textarea.id, parts));
  }
  for (const select of document.querySelectorAll("select.admin-autocomplete:not([name*=__prefix__])")) {
    whenBuilt(
      select.parentElement,
      ".select2-selection, .select2-selection__rendered",
      (parts) => nameAfterLabel(select.id, parts),
    );
  }
});
