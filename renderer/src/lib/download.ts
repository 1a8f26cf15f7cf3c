/**
 * Saves text as a file through the browser's download (web mode) or Electron's download handling:
 * an object URL on a temporary link, released once the click has started the download.
 */
export function downloadText(fileName: string, text: string, mimeType: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: mimeType }))
  try {
    clickLink(fileName, url)
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 0)
  }
}

/** Saves a `data:` URL (a chart's PNG) as a file. */
export function downloadDataUrl(fileName: string, dataUrl: string): void {
  clickLink(fileName, dataUrl)
}

function clickLink(fileName: string, href: string): void {
  const a = document.createElement('a')
  a.href = href
  a.download = fileName
  a.style.display = 'none'
  document.body.appendChild(a)
  a.click()
  a.remove()
}
