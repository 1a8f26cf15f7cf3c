import { describe, expect, it } from 'vitest'
import { forEachLine, MAX_LINE_CHARS } from '../../../../../main/services/import/trace/split-lines'

async function split(chunks: Buffer[]) {
  const lines: string[] = []
  async function* input() {
    yield* chunks
  }
  const r = await forEachLine(input(), 'f.trace', (l) => lines.push(l))
  return { lines, ...r }
}

describe('forEachLine', () => {
  it('splits LF and CRLF lines across any chunk boundary, multi-byte characters included', async () => {
    const text = ' L 04a2c000,8\r\nI  0400a7f0,3\n==12== Lackey — ünïcode\r\n S 1ffefff000,8\n'
    const bytes = Buffer.from(text)
    const want = [' L 04a2c000,8', 'I  0400a7f0,3', '==12== Lackey — ünïcode', ' S 1ffefff000,8']
    for (let cut = 1; cut < bytes.length; cut++) {
      const r = await split([bytes.subarray(0, cut), bytes.subarray(cut)])
      expect(r.lines, `cut at ${cut}`).toEqual(want)
      expect(r.endsWithNewline).toBe(true)
    }
  })

  it('gives a last line without its newline and says the stream did not end with one', async () => {
    const r = await split([Buffer.from(' L 04a2c000,8\n L 1ffe')])
    expect(r.lines).toEqual([' L 04a2c000,8', ' L 1ffe'])
    expect(r.endsWithNewline).toBe(false)
  })

  it('refuses a line longer than MAX_LINE_CHARS instead of holding it', async () => {
    const chunk = Buffer.alloc(1 << 16, 0x41)
    const chunks = Array.from({ length: MAX_LINE_CHARS / (1 << 16) + 2 }, () => chunk)
    await expect(split([Buffer.from('ok\n'), ...chunks])).rejects.toThrow(
      /f\.trace: line 2 is longer than 1 MiB without a newline/,
    )
  })
})
