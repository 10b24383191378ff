// The rich-text editor names its toolbar buttons and block menu in English,
// without gettext. Its labels are translated here, through the admin's
// JavaScript catalogue, as the editor builds and rebuilds its menu.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const translate = window.gettext || ((text) => text);
  const ATTRIBUTES = ["title", "aria-label"];

  function translateMenu(menu) {
    for (const button of menu.querySelectorAll("[title], [aria-label]")) {
      for (const name of ATTRIBUTES) {
        const label = button.getAttribute(name);
        if (label && translate(label) !== label) button.setAttribute(name, translate(label));
      }
    }
    // The block menu's options: "Heading 2", "Paragraph".
    for (const option of menu.querySelectorAll(".prose-menubar__option > *")) {
      const label = option.textContent;
      if (translate(label) !== label) option.textContent = translate(label);
    }
  }

  for (const editor of document.querySelectorAll(".form-row .field-body, .form-row")) {
    if (!editor.querySelector("textarea[data-django-prose-editor-configurable]")) continue;
    const observer = new MutationObserver(() => {
      const menu = editor.querySelector(".prose-menubar");
      if (menu) translateMenu(menu);
    });
    observer.observe(editor, { childList: true, subtree: true, attributes: true, attributeFilter: ATTRIBUTES });
  }
});
