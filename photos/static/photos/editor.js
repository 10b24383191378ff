// Library photos in the body editor: "Вставити фото" and "Вставити галерею"
// open a chooser of the library (searchable, newest first); the body keeps
// only which photos, and the story's own caption if the editor writes one.
import { Extension, Node, gettext, updateAttrsDialog } from "django-prose-editor/editor"

const known = new Map() // id → the chooser's description of the photo

async function describe(chooserUrl, ids) {
  const missing = ids.filter((id) => !known.has(id))
  if (missing.length) {
    const response = await fetch(`${chooserUrl}?ids=${missing.join(",")}`, { credentials: "same-origin" })
    if (response.ok) for (const photo of (await response.json()).results) known.set(String(photo.id), photo)
  }
  return ids.map((id) => known.get(id)).filter(Boolean)
}

function element(tag, properties = {}, children = []) {
  const node = Object.assign(document.createElement(tag), properties)
  node.append(...children)
  return node
}

// The chooser: resolves with the chosen photos' ids (one, or several for a
// gallery), or null when closed.
function choose(editor, chooserUrl, many) {
  return new Promise((resolve) => {
    const chosen = []
    const search = element("input", { type: "search", placeholder: gettext("Caption, credit, tag, who uploaded") })
    search.setAttribute("aria-label", gettext("Search the library"))
    const grid = element("ul", { className: "photo-chooser-grid" })
    const more = element("button", { type: "button", textContent: gettext("Show more"), hidden: true })
    const insert = element("button", { type: "button", textContent: gettext("Insert the gallery"), disabled: true })
    const cancel = element("button", { type: "button", textContent: gettext("Cancel") })
    const title = element("h3", {
      className: "prose-editor-dialog-title",
      textContent: many ? gettext("Choose photos for the gallery") : gettext("Choose a photo"),
    })
    const buttons = element("div", { className: "prose-editor-dialog-buttons" }, many ? [insert, cancel] : [cancel])
    const dialog = element("dialog", { className: "prose-editor-dialog photo-chooser" }, [title, search, grid, more, buttons])
    editor.view.dom.parentElement.append(dialog)
    let page = 1
    let answer = null

    async function load(reset) {
      if (reset) {
        page = 1
        grid.replaceChildren()
      }
      const query = new URLSearchParams({ q: search.value, page })
      const response = await fetch(`${chooserUrl}?${query}`, { credentials: "same-origin" })
      const { results, next } = response.ok ? await response.json() : { results: [], next: null }
      for (const photo of results) {
        known.set(String(photo.id), photo)
        const label = photo.caption || photo.alt || `№${photo.id}`
        const button = element("button", { type: "button" }, [
          element("img", { src: photo.thumbnail, alt: "", width: 120, height: 120 }),
          element("span", { textContent: label }),
        ])
        if (photo.missing.length) {
          button.disabled = true
          button.append(element("small", { textContent: `${gettext("Add in the library")}: ${photo.missing.join(", ")}` }))
        }
        button.setAttribute("aria-pressed", "false")
        button.addEventListener("click", () => {
          if (!many) {
            answer = [String(photo.id)]
            dialog.close()
            return
          }
          const at = chosen.indexOf(String(photo.id))
          if (at >= 0) chosen.splice(at, 1)
          else chosen.push(String(photo.id))
          button.setAttribute("aria-pressed", String(at < 0))
          insert.disabled = chosen.length < 2
          insert.textContent = `${gettext("Insert the gallery")} (${chosen.length})`
        })
        grid.append(element("li", {}, [button]))
      }
      more.hidden = !next
      page = next || page
    }

    let typing
    search.addEventListener("input", () => {
      clearTimeout(typing)
      typing = setTimeout(() => load(true), 250)
    })
    search.addEventListener("keydown", (event) => {
      if (event.key === "Enter") event.preventDefault()
    })
    more.addEventListener("click", () => load(false))
    insert.addEventListener("click", () => {
      answer = [...chosen]
      dialog.close()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(answer)
    })
    dialog.showModal()
    load(true)
  })
}

function photoNode({ name, attribute, label }) {
  return Node.create({
    name,
    group: "block",
    atom: true,
    draggable: true,

    addOptions() {
      return { chooserUrl: "" }
    },

    addAttributes() {
      return { ids: { default: "" }, caption: { default: "" } }
    },

    parseHTML() {
      return [
        {
          tag: `figure[${attribute}]`,
          getAttrs: (dom) => ({
            ids: dom.getAttribute(attribute) || "",
            caption: dom.querySelector("figcaption")?.textContent || "",
          }),
        },
      ]
    },

    renderHTML({ node }) {
      const caption = node.attrs.caption ? [["figcaption", {}, node.attrs.caption]] : []
      return ["figure", { [attribute]: node.attrs.ids }, ...caption]
    },

    addNodeView() {
      const chooserUrl = this.options.chooserUrl
      return ({ node, editor, getPos }) => {
        const dom = element("figure", { className: "photo-in-editor", title: gettext("Double-click to write this story's own caption") })
        const images = element("div")
        const caption = element("figcaption", { textContent: `${label}: ${node.attrs.caption || gettext("the library's caption")}` })
        dom.append(images, caption)
        describe(chooserUrl, node.attrs.ids.split(" ")).then((photos) => {
          images.replaceChildren(
            ...photos.map((photo) => element("img", { src: photo.thumbnail, alt: photo.alt, width: 96, height: 96 })),
          )
        })
        dom.addEventListener("dblclick", async () => {
          const answer = await updateAttrsDialog(
            { caption: { type: "string", title: gettext("This story's caption (empty: the library's)") } },
            { title: label, submitText: gettext("Save") },
          )(editor, { caption: node.attrs.caption })
          if (answer && typeof getPos === "function") {
            editor.chain().focus().command(({ tr }) => {
              tr.setNodeMarkup(getPos(), undefined, { ...node.attrs, caption: answer.caption.trim() })
              return true
            }).run()
          }
        })
        return { dom }
      }
    },
  })
}

const PhotoNode = photoNode({ name: "libraryPhoto", attribute: "data-photo", label: gettext("Photo") })
const GalleryNode = photoNode({ name: "gallery", attribute: "data-gallery", label: gettext("Gallery") })

// The article's lead photo from the library: the form's hidden
// "photo-stored" field names it ("library:<id>"), and the story takes the
// library's caption, credit, alt text and focal point to start from.
function leadPhotoChooser(editor, chooserUrl) {
  const stored = document.querySelector("input[data-stored-photo]")
  if (!stored || stored.dataset.ready) return
  stored.dataset.ready = "true"
  const form = stored.form
  const upload = form.querySelector("input[type=file][name=photo]")
  const button = element("button", { type: "button", className: "button", textContent: gettext("Choose from the library") })
  const preview = element("span", { className: "stored-photo" })
  stored.after(button, preview)

  async function show(id) {
    const [photo] = await describe(chooserUrl, [id])
    preview.replaceChildren(
      ...(photo
        ? [element("img", { src: photo.thumbnail, alt: "", width: 80, height: 80 }), element("span", { textContent: photo.caption || photo.alt })]
        : []),
    )
  }

  if (stored.value.startsWith("library:")) show(stored.value.slice("library:".length))
  button.addEventListener("click", async () => {
    const ids = await choose(editor, chooserUrl, false)
    if (!ids) return
    const photo = known.get(ids[0])
    stored.value = `library:${photo.id}`
    if (upload) upload.value = ""
    const clear = form.querySelector("input[name=photo-clear]")
    if (clear) clear.checked = false
    const held = form.querySelector("input[name=held_photo]")
    if (held) held.value = ""
    const fields = { photo_caption: photo.caption, photo_credit: photo.credit, photo_alt: photo.alt, photo_focal_x: photo.focal_x, photo_focal_y: photo.focal_y }
    for (const [name, value] of Object.entries(fields)) {
      const input = form.querySelector(`[name=${name}]`)
      if (!input) continue
      input.value = value
      input.dispatchEvent(new Event("input", { bubbles: true }))
    }
    show(String(photo.id))
  })
  upload?.addEventListener("change", () => {
    stored.value = ""
    preview.replaceChildren()
  })
}

export const LibraryPhoto = Extension.create({
  name: "libraryPhotos",

  addOptions() {
    return { chooserUrl: "" }
  },

  onCreate() {
    leadPhotoChooser(this.editor, this.options.chooserUrl)
  },

  addExtensions() {
    const options = { chooserUrl: this.options.chooserUrl }
    return [PhotoNode.configure(options), GalleryNode.configure(options)]
  },

  addMenuItems({ menu, buttons }) {
    const chooserUrl = this.options.chooserUrl
    const insert = (editor, many) =>
      choose(editor, chooserUrl, many).then((ids) => {
        if (!ids) return
        const type = many ? "gallery" : "libraryPhoto"
        // After the selection, never over it: selected text stays.
        const at = editor.state.selection.to
        editor.chain().focus().insertContentAt(at, { type, attrs: { ids: ids.join(" "), caption: "" } }).run()
      })
    menu.defineItem({
      name: "libraryPhoto",
      groups: "nodes",
      command: (editor) => insert(editor, false),
      button: buttons.material("image", gettext("Insert a photo from the library")),
    })
    menu.defineItem({
      name: "gallery",
      groups: "nodes",
      command: (editor) => insert(editor, true),
      button: buttons.material("photo_library", gettext("Insert a gallery")),
    })
  },
})
