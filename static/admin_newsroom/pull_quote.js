// The editor's pull quote: a sentence of the story set large between its
// paragraphs, stored as <blockquote class="pull-quote">.
import { Node, gettext } from "django-prose-editor/editor"

export const PullQuote = Node.create({
  name: "pullQuote",
  group: "block",
  content: "paragraph+",
  defining: true,
  priority: 110, // before the plain quotation, which would take it

  parseHTML() {
    return [{ tag: "blockquote.pull-quote" }]
  },

  renderHTML() {
    return ["blockquote", { class: "pull-quote" }, 0]
  },

  addCommands() {
    return {
      togglePullQuote:
        () =>
        ({ commands }) =>
          commands.toggleWrap(this.name),
    }
  },

  addMenuItems({ menu, buttons }) {
    menu.defineItem({
      name: "pullQuote",
      groups: "nodes",
      command: (editor) => editor.chain().focus().togglePullQuote().run(),
      active: (editor) => editor.isActive(this.name),
      button: buttons.material("format_quote", gettext("Pull quote")),
    })
  },
})
