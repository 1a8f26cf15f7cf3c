import { StringDecoder } from 'node:string_decoder'
import { ImportError } from '../errors'

/** Longer than any trace line by far: a file without newlines is not a line trace. */
export const MAX_LINE_CHARS = 1 << 20

/**
 * Calls `onLine` for every line of a byte stream (LF or CRLF), synchronously within each chunk:
 * readline's async iterator costs a microtask per line, which was most of a Lackey import's time.
 * Memory is one chunk plus one partial line, which may not grow past MAX_LINE_CHARS.
 * Resolves with whether the stream ended with a newline (a trace cut short does not).
 */
export async function forEachLine(
  input: AsyncIterable<Buffer>,
  file: string,
  onLine: (line: string) => void,
): Promise<{ endsWithNewline: boolean }> {
  const decoder = new StringDecoder('utf8')
  let rest = ''
  let lineNo = 0
  const emit = (text: string, from: number, nl: number) => {
    lineNo++
    onLine(text.slice(from, nl > from && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl))
  }
  for await (const chunk of input) {
    const text = rest + decoder.write(chunk)
    let from = 0
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      emit(text, from, nl)
      from = nl + 1
    }
    rest = text.slice(from)
    if (rest.length > MAX_LINE_CHARS)
      throw new ImportError(
        file,
        `line ${lineNo + 1} is longer than ${MAX_LINE_CHARS / 2 ** 20} MiB without a newline; give the trace tool's text output`,
      )
  }
  rest += decoder.end()
  if (rest.length > 0) emit(rest, 0, rest.length)
  return { endsWithNewline: rest.length === 0 }
}
