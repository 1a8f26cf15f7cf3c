/** Offers text as a file download (the exported topology). */
export function downloadText(fileName: string, text: string, mime = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  URL.revokeObjectURL(url)
}

/** Files larger than this are refused before reading (the host's import limit is 20 MB). */
export const MAX_IMPORT_BYTES = 20_000_000

export async function readTextFile(file: File): Promise<string> {
  if (file.size > MAX_IMPORT_BYTES)
    throw new Error(`${file.name} is ${file.size} bytes; topology files must be under 20 MB`)
  return file.text()
}
