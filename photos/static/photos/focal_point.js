// A click on the photo sets its focal point: every crop keeps that point in
// view. The two numbers stay the form's fields; arrow keys move the point too.
"use strict";
{
  const source = document.currentScript.dataset.thumbnail;
  const gettext = window.gettext || ((text) => text);
  const x = document.querySelector("[name=focal_x]");
  const y = document.querySelector("[name=focal_y]");
  if (source && x && y) {
    const picker = document.createElement("div");
    picker.className = "focal-picker";
    picker.tabIndex = 0;
    picker.setAttribute("role", "group");
    picker.setAttribute("aria-label", gettext("Focal point"));
    const image = document.createElement("img");
    image.src = source;
    image.alt = gettext("The photo: click where its most important part is");
    const marker = document.createElement("span");
    marker.className = "focal-marker";
    picker.append(image, marker);
    const help = document.createElement("p");
    help.className = "help";
    help.textContent = gettext("Click the photo where its most important part is: crops keep that point in view.");
    x.closest(".form-row").before(picker, help);

    const place = () => {
      marker.style.left = `${x.value}%`;
      marker.style.top = `${y.value}%`;
    };
    const set = (left, top) => {
      x.value = Math.max(0, Math.min(100, Math.round(left)));
      y.value = Math.max(0, Math.min(100, Math.round(top)));
      place();
    };
    picker.addEventListener("click", (event) => {
      const box = image.getBoundingClientRect();
      set(((event.clientX - box.left) / box.width) * 100, ((event.clientY - box.top) / box.height) * 100);
    });
    picker.addEventListener("keydown", (event) => {
      const step = { ArrowLeft: [-5, 0], ArrowRight: [5, 0], ArrowUp: [0, -5], ArrowDown: [0, 5] }[event.key];
      if (!step) return;
      event.preventDefault();
      set(Number(x.value) + step[0], Number(y.value) + step[1]);
    });
    for (const input of [x, y]) input.addEventListener("input", place);
    place();
  }
}
