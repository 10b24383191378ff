// The editor's "Вставити допис" button: an editor pastes a link to a post,
// the server says whether it may be embedded (embeds/providers.py, the one
// allow-list), and the body gets an element naming the post, never the
// provider's own HTML.
import { Node, gettext, updateAttrsDialog } from "django-prose-editor/editor"

async function askForPost(editor, checkUrl, attrs) {
  let error = ""
  for (;;) {
    const answer = await updateAttrsDialog(
      {
        url: {
          type: "string",
          title: gettext("Link to the post"),
          description: error || gettext("Telegram, YouTube, X, Facebook or Instagram"),
          required: true,
        },
        text: {
          type: "string",
          format: "textarea",
          title: gettext("The post's text (optional)"),
        },
      },
      { title: gettext("Embed a post"), submitText: gettext("Insert") },
    )(editor, attrs)
    if (!answer) return null
    const response = await fetch(`${checkUrl}?${new URLSearchParams({ url: answer.url })}`, {
      credentials: "same-origin",
    })
    const result = response.ok ? await response.json() : { error: gettext("Could not check the link; try again.") }
    if (!result.error) return { ...result, text: answer.text.trim() }
    error = result.error
    attrs = answer
  }
}

export const Embed = Node.create({
  name: "embed",
  group: "block",
  atom: true,
  draggable: true,

  addOptions() {
    return { checkUrl: "" }
  },

  addAttributes() {
    return {
      provider: { default: "" },
      url: { default: "" },
      text: { default: "" },
    }
  },

  parseHTML() {
    return [
      {
        tag: "figure[data-embed]",
        getAttrs: (dom) => ({
          provider: dom.getAttribute("data-embed") || "",
          url: dom.getAttribute("data-url") || "",
          text: dom.querySelector("blockquote")?.textContent || "",
        }),
      },
    ]
  },

  renderHTML({ node }) {
    const { provider, url, text } = node.attrs
    const quote = text ? [["blockquote", {}, text]] : []
    return ["figure", { "data-embed": provider, "data-url": url }, ...quote, ["p", {}, ["a", { href: url }, url]]]
  },

  addNodeView() {
    return ({ node }) => {
      const dom = document.createElement("figure")
      dom.className = "embed-in-editor"
      const source = document.createElement("strong")
      source.textContent = `${gettext("Embedded post")}: ${node.attrs.url}`
      dom.append(source)
      if (node.attrs.text) {
        const quote = document.createElement("blockquote")
        quote.textContent = node.attrs.text
        dom.append(quote)
      }
      return { dom }
    }
  },

  addCommands() {
    return {
      insertEmbed:
        () =>
        ({ editor }) => {
          askForPost(editor, this.options.checkUrl, {}).then((attrs) => {
            // After the selection, never over it: a selected word or post stays.
            const at = editor.state.selection.to
            if (attrs) editor.chain().focus().insertContentAt(at, { type: this.name, attrs }).run()
          })
          return true
        },
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "embed",
      groups: "nodes",
      command(editor) {
        editor.commands.insertEmbed()
      },
      button: buttons.material("smart_display", gettext("Embed a post")),
    })
  },
})
