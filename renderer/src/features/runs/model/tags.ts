/** Tags as typed in one field: comma-separated (a tag may contain spaces), trimmed, deduplicated. */
export function parseTags(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((t) => t.trim())
        .filter(Boolean),
    ),
  ]
}
