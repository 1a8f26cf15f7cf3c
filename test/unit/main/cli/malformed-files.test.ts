import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runCli } from '../../../../main/cli'
import { ROOT } from './run-cli'

/**
 * Every class of broken topology file, through the CLI in-process (the process-level contract is
 * in cli.test.ts): exit code 2, nothing on stdout, exactly one line on stderr that names the file,
 * the field and what to do, and no database created.
 */
const preset = JSON.parse(
  readFileSync(join(ROOT, 'resources', 'presets', 'topologies', '2s-cxl-switch.json'), 'utf8'),
) as { components: Record<string, unknown>[]; links: Record<string, unknown>[] }

function variant(change: (doc: typeof preset) => unknown): string {
  const doc = structuredClone(preset)
  const out = change(doc)
  return JSON.stringify(out === undefined ? doc : out)
}

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tierlab-malformed-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const cases: Array<[string, () => string, string, RegExp]> = [
  ['an empty file', () => '', '', /not valid JSON.*fix the syntax/],
  [
    'a JSON array',
    () => '[]',
    '',
    /holds an array.*JSON object.*"format": "tierlab\.topology\/v1"/,
  ],
  ['JSON null', () => 'null', '', /holds null.*JSON object/],
  [
    'a link of an unknown kind',
    () => variant((d) => void (d.links[0].kind = 'ethernet')),
    'links[0].kind',
    /must be one of upi, cxl, pcie, nvlink-c2c, got the string "ethernet"$/,
  ],
  [
    'an unknown component kind',
    () => variant((d) => void (d.components[0].kind = 'cpu')),
    'components[0].kind',
    /kind must be one of socket/,
  ],
  [
    'a duplicate id',
    () => variant((d) => void (d.components[3].id = 's0')),
    'components[3].id',
    /already used by components\[0\]; give each component its own id/,
  ],
  [
    'a string where an object belongs',
    () => variant((d) => void (d.components[0].memory = 'lots')),
    'components[0].memory',
    /expected object, got the string "lots"/,
  ],
  [
    'a string where an array belongs',
    () => variant((d) => void (d.components = 's0' as never)),
    'components',
    /expected array, got the string "s0"/,
  ],
  [
    'a field the format does not have',
    () => variant((d) => void (d.components[2].memory = { capacityGiB: 1 })),
    'components[2].memory',
    /unknown field "memory"; remove it/,
  ],
  [
    'a number too large for a double',
    () => JSON.stringify(preset).replace('"cores":56', '"cores":1e400'),
    'components[0].cores',
    /is too large to be a number; write a value below 1e308$/,
  ],
  [
    'another kind of Tierlab file',
    () => variant((d) => ({ ...d, format: 'tierlab.workload/v1' })),
    'format',
    /tierlab\.workload file, but a tierlab\.topology file/,
  ],
  [
    'a newer major version',
    () => variant((d) => ({ ...d, format: 'tierlab.topology/v3' })),
    'format',
    /reads tierlab\.topology up to v1; update Tierlab/,
  ],
]

describe('tierlab analyze on malformed topology files', () => {
  it.each(cases)('refuses %s in one line', async (_what, text, field, message) => {
    const file = join(dir, 'bad.json')
    const db = join(dir, 'runs.db')
    writeFileSync(file, text())
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(['node', 'tierlab', 'analyze', file, '--json', '--db', db], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    })
    expect(code).toBe(2)
    expect(out).toEqual([])
    const lines = err.join('').trimEnd().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0].startsWith(`${file}: ${field}`)).toBe(true)
    expect(lines[0]).toMatch(message)
    expect(existsSync(db)).toBe(false)
  })
})

describe('encodings', () => {
  // Hostile hour 6: a UTF-8 BOM or a UTF-16 file got a JSON syntax error that never named the
  // encoding. Both BOM-prefixed UTF-8 and UTF-16 (with its BOM) are read; other bytes are refused
  // naming the encoding.
  async function analyze(bytes: Buffer): Promise<{ code: number; out: string; err: string }> {
    const file = join(dir, 'enc.json')
    writeFileSync(file, bytes)
    const out: string[] = []
    const err: string[] = []
    const code = await runCli(['node', 'tierlab', 'analyze', file, '--json'], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    })
    return { code, out: out.join(''), err: err.join('') }
  }
  const text = JSON.stringify(preset)
  const utf16be = (s: string) => Buffer.from(s, 'utf16le').swap16()

  it.each([
    ['UTF-8 with a BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)])],
    [
      'UTF-16 LE with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ],
    ['UTF-16 BE with a BOM', Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(text)])],
  ])('reads %s', async (_what, bytes) => {
    const r = await analyze(bytes)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(JSON.parse(r.out).nodes.length).toBeGreaterThan(1)
  })

  it('names the encoding for bytes that are neither', async () => {
    const r = await analyze(Buffer.from(text.replace('"name":"', '"name":"\xe9'), 'latin1'))
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/: is not UTF-8 or UTF-16 text .*; save it as UTF-8$/)
  })
})
