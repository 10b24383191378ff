// A live page's updates, kept current without a reload. The page asks the
// server what was published after its newest update every few seconds (an
// answer every reader shares, so caches keep it), holds what comes, and says
// "N нових оновлень" on a button: the page never moves under the reader's
// eyes until they ask. The same answer says which shown updates were edited
// (replaced in place) or deleted (removed). "Показати ще" appends older
// updates in place. The page reads the same without this script: its links
// work on their own.
const stream = document.getElementById("live-stream")

function texts(name) {
  try {
    return JSON.parse(stream.dataset[name] || "{}")
  } catch {
    return {}
  }
}

const newTexts = texts("newTexts")
const relativeTexts = texts("relativeTexts")
const plural = new Intl.PluralRules("uk")

function shownIds() {
  return new Set([...document.querySelectorAll("[data-update]")].map((item) => item.dataset.update))
}

const keyEvents = document.querySelector(".live-key-events")

function isKeyEvent(item) {
  return item.classList.contains("live-key-event")
}

function timeOf(element) {
  return Date.parse(element.querySelector("time").dateTime)
}

// A key event's link at the top of the page: its time and its start.
function keyEventLink(item, href = `#${item.id}`) {
  const time = item.querySelector("time").cloneNode(true)
  time.textContent = time.dataset.clock ?? time.textContent
  time.removeAttribute("title")
  const link = document.createElement("a")
  link.href = href
  const title = item.querySelector("h3") || item.querySelector(".live-update-body")
  link.append(time, ` ${title.textContent.trim().slice(0, 80)}`)
  return link
}

function keyEventEntries() {
  return [...(keyEvents?.querySelectorAll("li") ?? [])]
}

// The update a link leads to: "#update-5" here, ".../update/5/" on another page.
function linkedId(entry) {
  return entry.querySelector("a").getAttribute("href").match(/(\d+)\/?$/)?.[1]
}

// A key event's link, placed by its time among the others (newest first).
function placeKeyEvent(item) {
  if (!keyEvents) return
  const entry = document.createElement("li")
  entry.append(keyEventLink(item))
  const older = keyEventEntries().find((other) => timeOf(other) <= timeOf(item))
  keyEvents.querySelector("ol").insertBefore(entry, older ?? null)
  keyEvents.hidden = false
}

// New key events join the key events' links at the top of the page.
function listKeyEvents(items) {
  for (const item of [...items].reverse()) if (isKeyEvent(item)) placeKeyEvent(item)
}

// Updates the page shows that were deleted or edited since: they go, or
// their text is replaced where it stands. An answer without the list of
// updates still published (from an older release) says nothing of them.
// `held`: the new ones not shown yet; what is left of them is returned.
// `removed` keeps what went, so that a stale answer never brings it back.
function mend(root, held, removed) {
  if (!("present" in root.dataset)) return held
  const present = new Set(root.dataset.present.split(" "))
  const wholeSince = root.dataset.wholeSince ? Date.parse(root.dataset.wholeSince) : -Infinity
  const gone = (id, element) => {
    const is = !present.has(id) && timeOf(element) > wholeSince
    if (is) removed.add(id)
    return is
  }
  const edits = new Map(
    [...root.parentNode.querySelectorAll(".live-edited > .live-update")].map((edit) => [
      edit.dataset.update,
      edit,
    ]),
  )
  // Only a later edition replaces what the page has: a stale answer never undoes an edit.
  const newer = (item) => {
    const edit = edits.get(item.dataset.update)
    const later = edit && (edit.dataset.edition || "") > (item.dataset.edition || "")
    return later ? edit.cloneNode(true) : null
  }
  for (const entry of keyEventEntries()) {
    const id = linkedId(entry)
    const edit = edits.get(id)
    if (gone(id, entry) || (edit && !isKeyEvent(edit))) {
      entry.remove()
    } else if (edit) {
      entry.replaceChildren(keyEventLink(edit, entry.querySelector("a").getAttribute("href")))
    }
  }
  const mended = []
  for (const item of document.querySelectorAll(".live-update[data-update]")) {
    if (gone(item.dataset.update, item)) {
      item.remove()
      continue
    }
    const copy = newer(item)
    if (!copy) continue
    item.replaceWith(copy)
    const listed = keyEventEntries().some((entry) => linkedId(entry) === copy.dataset.update)
    if (isKeyEvent(copy) && !listed) placeKeyEvent(copy)
    mended.push(copy)
  }
  const pinned = document.querySelector(".live-pinned")
  if (pinned && !pinned.querySelector(".live-update")) pinned.remove()
  if (keyEvents) keyEvents.hidden = keyEventEntries().length === 0
  if (mended.length) announce(mended)
  return held.filter((item) => !gone(item.dataset.update, item)).map((item) => newer(item) ?? item)
}

// Another part of the page may wake what the new updates hold (embeds.js).
function announce(items) {
  document.dispatchEvent(new CustomEvent("newsroom:inserted", { detail: items }))
  showRelativeTimes()
}

// A time in the last hour also says how long ago it was: "5 хв тому".
function showRelativeTimes() {
  const now = Date.now()
  for (const time of document.querySelectorAll(".live-update-meta time")) {
    time.dataset.clock ??= time.textContent
    const minutes = Math.floor((now - Date.parse(time.dateTime)) / 60000)
    if (minutes >= 0 && minutes < 60 && relativeTexts.now) {
      time.textContent =
        minutes < 1 ? relativeTexts.now : relativeTexts.minutes.replace("{n}", minutes)
      time.title = time.dataset.clock
    } else {
      time.textContent = time.dataset.clock
      time.removeAttribute("title")
    }
  }
}

function parse(html) {
  return new DOMParser().parseFromString(html, "text/html")
}

function pollForNew() {
  const button = document.querySelector(".live-new-button")
  let url = stream.dataset.pollUrl
  let held = [] // newest first
  const removed = new Set() // deleted since the page was loaded
  let timer = null

  function say(count) {
    const form = plural.select(count)
    const text = newTexts[form] || newTexts.many || newTexts.other || String(count)
    button.textContent = text.replace("{n}", count)
    button.hidden = false
  }

  async function poll() {
    timer = null
    let root = null
    try {
      const response = await fetch(url, { cache: "no-cache", credentials: "omit" })
      if (response.status === 404) return // no longer a live page: nothing more to ask
      if (response.ok) root = parse(await response.text()).querySelector(".live-since")
    } catch {
      // Offline for a moment: ask again at the next turn.
    }
    if (root) {
      const known = shownIds()
      for (const item of held) known.add(item.dataset.update)
      const fresh = [...root.querySelectorAll(".live-update")].filter(
        (item) => !known.has(item.dataset.update) && !removed.has(item.dataset.update),
      )
      held = mend(root, [...fresh, ...held], removed)
      let latest = root.dataset.latest
      if (removed.has(latest)) {
        // The newest update it had was deleted: ask after the newest left.
        const left = [...held, ...stream.querySelectorAll(".live-update")][0]
        if (left) latest = left.dataset.update
      }
      const replaced = latest !== root.dataset.latest
      url = url.replace(/\/after\/\d+\/$/, `/after/${latest}/`)
      if ("reload" in root.dataset && !replaced) {
        // More than a page came, or nothing shown is left to ask after: the page itself.
        button.dataset.reload = ""
        say(Math.max(held.length, 1))
        return
      }
      if (held.length) say(held.length)
      else button.hidden = true
      if ("ended" in root.dataset) return
    }
    schedule()
  }

  function schedule() {
    if (!document.hidden && timer === null) {
      timer = setTimeout(poll, Number(stream.dataset.pollSeconds || 5) * 1000)
    }
  }

  button.addEventListener("click", () => {
    if ("reload" in button.dataset) {
      window.location.reload()
      return
    }
    const items = held
    held = []
    stream.prepend(...items)
    listKeyEvents(items)
    button.hidden = true
    if (items.length) items[0].focus()
    announce(items)
  })
  // A tab in the background asks nothing; it catches up when shown.
  document.addEventListener("visibilitychange", () => {
    if (document.hidden) {
      clearTimeout(timer)
      timer = null
    } else {
      schedule()
    }
  })
  schedule()
}

function showMoreInPlace() {
  document.addEventListener("click", async (event) => {
    const link = event.target.closest(".live-more")
    if (!link) return
    event.preventDefault()
    link.setAttribute("aria-busy", "true")
    try {
      const response = await fetch(link.href)
      if (!response.ok) throw new Error(response.status)
      const page = parse(await response.text())
      const known = shownIds()
      const older = [...page.querySelectorAll("#live-stream > .live-update")].filter(
        (item) => !known.has(item.dataset.update),
      )
      stream.append(...older)
      const next = page.querySelector(".live-more")
      if (next) link.href = next.href
      else link.remove()
      if (older.length) older[0].focus()
      announce(older)
    } catch {
      window.location.href = link.href // the page itself, as without the script
    } finally {
      link.removeAttribute("aria-busy")
    }
  })
}

if (stream) {
  showRelativeTimes()
  setInterval(showRelativeTimes, 30000)
  showMoreInPlace()
  if (stream.dataset.pollUrl) pollForNew()
}
