// The live desk's compact form posts without leaving the page, so several
// editors keep posting while the list under it shows everyone's updates.
// The text stays in the form until the server has it: a refused post shows
// what to fix, a failed one says so, and nothing typed is lost.
"use strict"
let form = null

function parse(html) {
  return new DOMParser().parseFromString(html, "text/html").body
}

function clearErrors() {
  for (const error of form.querySelectorAll(".live-post-error")) error.remove()
}

function showErrors(errors) {
  for (const [field, problems] of Object.entries(errors)) {
    const input = form.querySelector(`[name="update-${field}"]`)
    const note = document.createElement("p")
    note.className = "errornote live-post-error"
    note.textContent = problems.map((problem) => problem.message).join(" ")
    const row = input && input.closest(".live-post-row")
    if (row) row.prepend(note)
    else form.prepend(note)
  }
}

function sameText(one, other) {
  return ["update-title", "update-body"].every((name) => one.get(name) === other.get(name))
}

function clearForm() {
  form.reset()
  const editor = form.querySelector(".ProseMirror[contenteditable]")?.editor
  if (editor) editor.commands.clearContent(true)
  for (const textarea of form.querySelectorAll("textarea")) textarea.value = ""
}

function postInPlace() {
  form.addEventListener("submit", async (event) => {
    event.preventDefault()
    const status = form.querySelector(".live-post-status")
    const button = form.querySelector("button[type=submit]")
    const sent = new FormData(form)
    button.disabled = true
    status.textContent = form.dataset.sending
    clearErrors()
    try {
      const response = await fetch(form.action, {
        method: "POST",
        body: sent,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      })
      const answer = await response.json().catch(() => null)
      if (response.ok && answer) {
        document.getElementById("live-desk-list").replaceChildren(...parse(answer.list).childNodes)
        // What was typed while it was being sent stays.
        if (sameText(sent, new FormData(form))) clearForm()
        status.textContent = answer.message
      } else if (answer && answer.errors) {
        showErrors(answer.errors)
        status.textContent = form.dataset.refused
      } else {
        throw new Error(`HTTP ${response.status}`)
      }
    } catch {
      status.textContent = form.dataset.failed
    } finally {
      button.disabled = false
    }
  })
}

// Approving a reporter's update keeps the page, and what is being written.
function approveInPlace(list) {
  list.addEventListener("submit", async (event) => {
    event.preventDefault()
    const approval = event.target
    approval.querySelector("button").disabled = true
    try {
      await fetch(approval.action, {
        method: "POST",
        body: new FormData(approval),
        credentials: "same-origin",
      })
    } finally {
      await refresh(list)
    }
  })
}

async function refresh(list) {
  try {
    const response = await fetch(list.dataset.url, { credentials: "same-origin" })
    if (response.ok) list.replaceChildren(...parse((await response.json()).list).childNodes)
  } catch {
    // The next turn tries again.
  }
}

// What the other editors posted shows up without a reload.
const REFRESH_SECONDS = 15

function refreshList(list) {
  setInterval(() => document.hidden || refresh(list), REFRESH_SECONDS * 1000)
}

// Loaded in the admin's <head>, before the form exists.
document.addEventListener("DOMContentLoaded", () => {
  form = document.querySelector("form.live-post")
  if (form) postInPlace()
  const list = document.getElementById("live-desk-list")
  if (list && list.dataset.url) {
    refreshList(list)
    approveInPlace(list)
  }
})
