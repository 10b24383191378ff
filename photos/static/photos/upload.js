// Several photos at once: each is sent on its own, with a progress bar, so one
// refused file (too large, not a photo) stops nothing else and says why.
"use strict";
{
  const form = document.getElementById("photo-upload");
  const gettext = window.gettext || ((text) => text);
  const input = form.querySelector("input[type=file]");
  const list = form.querySelector(".upload-progress");

  function send(file) {
    const data = new FormData(form);
    data.delete(input.name);
    data.append(input.name, file);
    const item = document.createElement("li");
    const name = document.createElement("span");
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", file.name);
    const status = document.createElement("span");
    item.append(name, " ", bar, " ", status);
    list.append(item);
    return new Promise((resolve) => {
      const request = new XMLHttpRequest();
      request.open("POST", form.action || window.location.href);
      request.setRequestHeader("Accept", "application/json");
      request.upload.addEventListener("progress", (event) => {
        if (event.lengthComputable) bar.value = (event.loaded / event.total) * 100;
      });
      request.addEventListener("load", () => {
        let answer = {};
        try { answer = JSON.parse(request.responseText); } catch { /* an HTML error page */ }
        if (request.status === 200 && answer.photos) {
          bar.value = 100;
          const photo = answer.photos[0];
          const link = document.createElement("a");
          link.href = photo.change_url;
          link.textContent = gettext("Uploaded: describe it");
          status.append(link);
          item.classList.add("done");
        } else {
          status.textContent = (answer.errors || [gettext("Not uploaded; try again.")]).join(" ");
          item.classList.add("failed");
        }
        resolve();
      });
      request.addEventListener("error", () => {
        status.textContent = gettext("Not uploaded; try again.");
        item.classList.add("failed");
        resolve();
      });
      request.send(data);
    });
  }

  form.addEventListener("submit", async (event) => {
    if (!input.files.length) return; // the server says what is missing
    event.preventDefault();
    list.replaceChildren();
    for (const file of input.files) await send(file);
    input.value = "";
  });
}
