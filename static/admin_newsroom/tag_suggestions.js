// Suggests existing tags for the name being typed after the last comma in
// the article's tags field; a click (or Enter) on a suggestion completes it.
"use strict";
window.addEventListener("load", () => {
  const input = document.getElementById("id_tags");
  if (!input || !input.dataset.suggestUrl) return;
  const list = document.createElement("ul");
  list.className = "tag-suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.dataset.suggestLabel);
  input.after(list);

  let waiting;
  input.addEventListener("input", () => {
    clearTimeout(waiting);
    waiting = setTimeout(suggest, 150);
  });

  async function suggest() {
    const names = input.value.split(",");
    const typed = names[names.length - 1].trim();
    list.replaceChildren();
    if (typed.length < 2) return;
    const url = `${input.dataset.suggestUrl}?q=${encodeURIComponent(typed)}`;
    const response = await fetch(url, { credentials: "same-origin" });
    if (!response.ok) return;
    for (const name of await response.json()) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = name;
      button.addEventListener("click", () => {
        names[names.length - 1] = name;
        input.value = names.map((part) => part.trim()).join(", ") + ", ";
        list.replaceChildren();
        input.focus();
      });
      const option = document.createElement("li");
      option.setAttribute("role", "option");
      option.append(button);
      list.append(option);
    }
  }
});
