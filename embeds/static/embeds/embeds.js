// An embedded post stays a card with a link until the reader asks for it: only
// then is the provider's frame loaded (the Content-Security-Policy allows just
// the allow-listed providers' frames), so the page itself asks nothing of them.
function offerFrames(root) {
  for (const figure of root.querySelectorAll("figure.embed[data-frame]:not([data-offered])")) {
    offerFrame(figure)
  }
}

function offerFrame(figure) {
  figure.dataset.offered = ""
  const consent = figure.querySelector(".embed-consent")
  consent.hidden = false
  consent.querySelector("button").addEventListener("click", () => {
    const frame = document.createElement("iframe")
    frame.src = figure.dataset.frame
    frame.title = figure.dataset.frameTitle
    frame.loading = "lazy"
    frame.referrerPolicy = "strict-origin-when-cross-origin"
    frame.allow = "encrypted-media; fullscreen; picture-in-picture"
    frame.setAttribute("sandbox", "allow-scripts allow-same-origin allow-popups allow-presentation")
    const height = Number(figure.dataset.frameHeight)
    if (height) frame.height = height
    else frame.className = "embed-video"
    figure.querySelector(".embed-card").replaceWith(frame)
    frame.focus()
  })
}

offerFrames(document)
// Posts that arrive later (a live page's new updates: live/live.js).
document.addEventListener("newsroom:inserted", () => offerFrames(document))
