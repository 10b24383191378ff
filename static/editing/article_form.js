// The article form, made safe to work in (editing/admin.py): autosave,
// a warning before leaving unsaved work, who else is editing, a live
// preview and checklist, character counters, a focal-point picker, and
// the cursor after a new link. Everything here is an aid: the form works,
// and the server enforces every rule, without it.
"use strict";
(function () {
  const gettext = window.gettext || ((text) => text);
  const interpolate = window.interpolate || ((text) => text);
  const AUTOSAVE_EVERY = 5000; // ms, while something changed
  const QUIET = 700; // ms without typing before the preview and checklist refresh

  function csrfToken(form) {
    return form.querySelector("[name=csrfmiddlewaretoken]").value;
  }

  // The form's fields as a save would send them, files aside: those are
  // held by the server only when a save is refused.
  function fields(form) {
    const data = new FormData(form);
    for (const [name, value] of [...data.entries()]) {
      if (value instanceof File) data.delete(name);
    }
    return data;
  }

  function serialize(data) {
    return new URLSearchParams(
      [...data.entries()].filter(([name]) => name !== "csrfmiddlewaretoken")
    ).toString();
  }

  function post(url, data, form) {
    return fetch(url, {
      method: "POST",
      body: data,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(form) },
    });
  }

  // An answer of the kind asked for; not the login page a lost session
  // redirects to.
  function answered(response, type) {
    const received = response.headers.get("Content-Type") || "";
    return response.ok && !response.redirected && received.startsWith(type);
  }

  // Run `action` once typing or choosing has paused: one timer for both
  // events, as a change follows the input it ends.
  function afterEdits(form, action) {
    let timer = null;
    const later = () => {
      clearTimeout(timer);
      timer = setTimeout(action, QUIET);
    };
    form.addEventListener("input", later);
    form.addEventListener("change", later);
  }

  function setUp(form, config) {
    const status = document.querySelector(".autosave-status");
    let saved = serialize(fields(form)); // what the server has: stored or autosaved
    let unsaved = config.hasAttribute("data-restored"); // restored text is not stored yet
    let submitting = false;
    let sending = false;
    let sessionLost = false;

    const changed = () => serialize(fields(form)) !== saved;
    const dirty = () => unsaved || changed();

    function say(text) {
      if (status) status.textContent = text;
    }

    async function autosave() {
      if (submitting || sending || !changed()) return;
      const data = fields(form);
      const sent = serialize(data);
      sending = true;
      try {
        const response = await post(config.dataset.autosaveUrl, data, form);
        if (!answered(response, "application/json")) throw new Error("refused");
        const answer = await response.json();
        saved = sent;
        unsaved = true;
        sessionLost = false;
        say(interpolate(gettext("Autosaved at %s"), [answer.time]));
      } catch {
        // Most often the session expired: a save still keeps everything
        // (it comes back after logging in again).
        if (!sessionLost) {
          sessionLost = true;
          say(gettext("Not autosaved: the connection or your session was lost. Your text is still here; saving keeps it even if you must log in again."));
        }
      } finally {
        sending = false;
      }
    }
    setInterval(autosave, AUTOSAVE_EVERY);

    // Leaving: send what changed on the way out (no answer comes back, so
    // nothing counts as saved), and ask first.
    function autosaveOnLeaving() {
      if (submitting || !changed()) return;
      navigator.sendBeacon(config.dataset.autosaveUrl, fields(form));
    }
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") autosaveOnLeaving();
    });
    window.addEventListener("pagehide", autosaveOnLeaving);
    window.addEventListener("beforeunload", (event) => {
      if (submitting || !dirty()) return;
      event.preventDefault();
      event.returnValue = "";
    });
    form.addEventListener("submit", () => {
      submitting = true;
    });
    // Back on the page from the browser's history: the form is open again.
    window.addEventListener("pageshow", () => {
      submitting = false;
    });

    watchPresence(form, config, () => submitting);
    livePreview(form, config);
    liveChecklist(form, config);
  }

  function watchPresence(form, config, submitting) {
    const url = config.dataset.presenceUrl;
    const notice = document.getElementById("presence-notice");
    if (!url || !notice) return;
    const every = Number(config.dataset.heartbeat) * 1000;

    function show(state) {
      const lines = [];
      if (state.taken_over_by) {
        lines.push(interpolate(gettext("%s has taken over editing this article. Your changes are autosaved; if you save, the conflict check shows both versions."), [state.taken_over_by]));
      } else if (state.holder) {
        lines.push(interpolate(gettext("%(name)s has been editing this article since %(since)s."), state.holder, true));
      }
      if (state.others.length) {
        lines.push(interpolate(gettext("Also open by: %s."), [state.others.join(", ")]));
      }
      notice.replaceChildren();
      for (const line of lines) {
        const paragraph = document.createElement("p");
        paragraph.textContent = line;
        notice.append(paragraph);
      }
      if (state.holder || state.taken_over_by) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.dataset.takeOver = "";
        button.textContent = gettext("Take over editing");
        notice.append(button);
      }
      notice.hidden = lines.length === 0;
    }

    async function send(action) {
      const data = new FormData();
      data.append("action", action);
      try {
        const response = await post(url, data, form);
        if (answered(response, "application/json")) show(await response.json());
      } catch {
        // Offline for a moment: the next heartbeat tries again.
      }
    }

    notice.addEventListener("click", (event) => {
      if (event.target.closest("[data-take-over]")) send("take_over");
    });
    setInterval(() => send("heartbeat"), every);
    window.addEventListener("pagehide", () => {
      if (submitting()) return; // the saved form opens again at once
      const data = new FormData();
      data.append("action", "leave");
      data.append("csrfmiddlewaretoken", csrfToken(form));
      navigator.sendBeacon(url, data);
    });
  }

  function livePreview(form, config) {
    const panel = document.getElementById("live-preview");
    if (!panel) return;
    const frame = document.createElement("iframe");
    frame.title = panel.dataset.frameTitle;
    frame.sandbox = ""; // a reader page runs no script; neither does its preview
    panel.append(frame);
    const opener = document.querySelector(".editing-actions [data-preview-toggle]");

    async function refresh() {
      if (panel.hidden) return;
      try {
        const response = await post(config.dataset.previewUrl, fields(form), form);
        if (answered(response, "text/html")) frame.srcdoc = await response.text();
      } catch {
        // Offline for a moment: the next keystroke tries again.
      }
    }

    document.addEventListener("click", (event) => {
      const toggle = event.target.closest("[data-preview-toggle]");
      if (toggle) {
        panel.hidden = !panel.hidden;
        opener.setAttribute("aria-expanded", String(!panel.hidden));
        document.body.classList.toggle("previewing", !panel.hidden);
        refresh();
      }
      const width = event.target.closest("[data-preview-width]");
      if (width) panel.dataset.width = width.dataset.previewWidth;
    });
    afterEdits(form, refresh);
  }

  function liveChecklist(form, config) {
    const list = document.querySelector(".publication-checklist");
    if (!list) return;
    const photo = form.querySelector("[name=photo]");

    async function refresh() {
      const data = fields(form);
      if (photo && photo.files.length) data.append("has_new_photo", "1");
      let problems;
      try {
        const response = await post(config.dataset.checklistUrl, data, form);
        if (!answered(response, "application/json")) return;
        problems = await response.json();
      } catch {
        return;
      }
      for (const item of list.querySelectorAll("li[data-field]")) {
        const problem = problems[item.dataset.field];
        item.className = problem ? "todo" : "done";
        item.querySelector(".mark").textContent = problem ? "✗" : "✓";
        item.querySelector(".problem").textContent = problem ? `: ${problem}` : "";
      }
    }
    afterEdits(form, refresh);
  }

  // A live count under the headline and lead: "87 / 110", counted as the
  // server counts (characters, a line break as the two a browser sends).
  function length(text) {
    return [...text.replace(/\r?\n/g, "\r\n")].length;
  }

  function counters(form) {
    for (const input of form.querySelectorAll("[data-limit]")) {
      const counter = document.createElement("p");
      counter.className = "char-counter";
      counter.setAttribute("aria-live", "polite");
      const limit = Number(input.dataset.limit);
      const update = () => {
        const count = length(input.value);
        counter.textContent = `${count} / ${limit}`;
        counter.classList.toggle("over", count > limit);
      };
      (input.closest(".flex-container") || input).after(counter);
      input.addEventListener("input", update);
      update();
    }
  }

  // Click the photo to set its focal point (the two numbers stay the
  // form's fields; arrow keys move the point too).
  function focalPicker(form, config) {
    const x = form.querySelector("[name=photo_focal_x]");
    const y = form.querySelector("[name=photo_focal_y]");
    const fileInput = form.querySelector("[name=photo]");
    if (!x || !y || x.type === "hidden") return;
    const picker = document.createElement("div");
    picker.className = "focal-picker";
    picker.hidden = true;
    const image = document.createElement("img");
    image.alt = gettext("The photo: click where its most important part is");
    const marker = document.createElement("span");
    marker.className = "focal-marker";
    const help = document.createElement("p");
    help.className = "help";
    help.textContent = gettext("Click the photo where its most important part is: crops keep that point in view.");
    picker.tabIndex = 0;
    picker.setAttribute("role", "group");
    picker.setAttribute("aria-label", gettext("Focal point"));
    picker.append(image, marker);
    const row = x.closest(".form-row");
    row.before(picker, help);
    help.hidden = true;

    function place() {
      marker.style.left = `${x.value}%`;
      marker.style.top = `${y.value}%`;
    }
    function show(source) {
      if (!source) return;
      image.src = source;
      picker.hidden = help.hidden = false;
      row.classList.add("focal-numbers");
      place();
    }
    function set(left, top) {
      x.value = Math.max(0, Math.min(100, Math.round(left)));
      y.value = Math.max(0, Math.min(100, Math.round(top)));
      place();
      x.dispatchEvent(new Event("input", { bubbles: true }));
    }
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
    show(config.dataset.photoUrl);
    if (fileInput) {
      fileInput.addEventListener("change", () => {
        const file = fileInput.files[0];
        if (!file) return;
        const reader = new FileReader();
        reader.addEventListener("load", () => show(reader.result));
        reader.readAsDataURL(file);
      });
    }
  }

  // After a link is inserted, the cursor goes after it, and what is typed
  // next is plain text (the editor would otherwise keep the words selected).
  function cursorAfterLinks() {
    // The editor's link dialog removes itself on "submit" (pressed or by
    // Enter), then sets the link: move the cursor once it has.
    document.addEventListener(
      "click",
      (event) => {
        if (!event.target.closest("dialog.prose-editor-dialog button[type=submit]")) return;
        setTimeout(() => {
          for (const element of document.querySelectorAll(".prose-editor .ProseMirror")) {
            const editor = element.editor;
            if (!editor || editor.state.selection.empty || !editor.isActive("link")) continue;
            editor.chain().focus().setTextSelection(editor.state.selection.to).unsetMark("link").run();
          }
        }, 0);
      },
      true
    );
  }

  document.addEventListener("DOMContentLoaded", () => {
    const form = document.getElementById("article_form");
    const config = document.getElementById("editing"); // absent when the form is read-only
    if (!form || !config) return;
    counters(form);
    focalPicker(form, config);
    cursorAfterLinks();
    setUp(form, config);
  });
})();
