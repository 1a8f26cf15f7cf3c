import { execFile } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ROOT, runCli } from './run-cli'

// Real processes (tsx compiles on first use); a loaded 2-core machine is slow.
vi.setConfig({ testTimeout: 180_000 })

const FIX = join(ROOT, 'test', 'fixtures', 'import')
const MiB = 2 ** 20
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tierlab-import-cli-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('tierlab import-machine', () => {
  it('imports numactl output that analyze then reports with its exact sizes, CPUs and SLIT', async () => {
    const out = join(dir, 'machine.json')
    const imp = await runCli([
      'import-machine',
      join(FIX, 'numactl/2s-2cxl.txt'),
      '--out',
      out,
      '--json',
    ])
    expect(imp.code).toBe(0)
    expect(JSON.parse(imp.stdout).format).toBe('tierlab.topology/v1')
    expect(imp.stderr).toMatch(/^warning: /m)
    const a = await runCli(['analyze', out, '--json', '--db', join(dir, 'x.db')])
    expect(a.code).toBe(0)
    const analysis = JSON.parse(a.stdout)
    expect(
      analysis.nodes.map((n: { cpus: number; capacityBytes: number }) => [n.cpus, n.capacityBytes]),
    ).toEqual([
      [112, 515714 * MiB],
      [112, 516063 * MiB],
      [0, 131072 * MiB],
      [0, 131072 * MiB],
    ])
    expect(analysis.distance).toEqual([
      [10, 21, 14, 24],
      [21, 10, 24, 14],
      [14, 24, 10, 26],
      [24, 14, 26, 10],
    ])
  })

  it('reports a machine under its own node ids when CXL nodes are numbered before a socket', async () => {
    // Pasted with indentation and --cpu-compress ranges, as a user copies it from a terminal.
    const numactl = join(dir, 'numactl.txt')
    writeFileSync(
      numactl,
      [
        'available: 4 nodes (0-1,4-5)',
        'node 0 cpus: 0-3 (4)',
        'node 0 size: 128000 MB',
        'node 1 cpus: (0)',
        'node 1 size: 262144 MB',
        'node 4 cpus: (0)',
        'node 4 size: 131072 MB',
        'node 5 cpus: 4-9 (6)',
        'node 5 size: 96000 MB',
        'node distances:',
        'node     0    1    4    5 ',
        '   0:   10   14   24   21 ',
        '   1:   14   10   26   24 ',
        '   4:   24   26   10   14 ',
        '   5:   21   24   14   10 ',
      ]
        .map((l) => `  ${l}`)
        .join('\r\n'),
    )
    const out = join(dir, 'machine.json')
    expect((await runCli(['import-machine', numactl, '--out', out])).code).toBe(0)
    const a = await runCli(['analyze', out, '--json', '--db', join(dir, 'x.db')])
    expect(a.code).toBe(0)
    const analysis = JSON.parse(a.stdout)
    expect(
      analysis.nodes.map((n: { node: number; cpus: number; capacityBytes: number }) => [
        n.node,
        n.cpus,
        n.capacityBytes,
      ]),
    ).toEqual([
      [0, 4, 128000 * MiB],
      [1, 0, 262144 * MiB],
      [4, 0, 131072 * MiB],
      [5, 6, 96000 * MiB],
    ])
    expect(analysis.distance).toEqual([
      [10, 14, 24, 21],
      [14, 10, 26, 24],
      [24, 26, 10, 14],
      [21, 24, 14, 10],
    ])
    expect(analysis.demotionTargets).toMatchObject({ 0: [1], 5: [4] })
  })

  it('refuses a 200 MB garbage file and a truncated XML with one line, exit 2, and writes nothing', async () => {
    const junk = join(dir, 'junk.bin')
    writeFileSync(junk, '')
    truncateSync(junk, 200 * MiB) // sparse: 200 MB of NUL bytes
    const out = join(dir, 'never.json')
    const r = await runCli(['import-machine', junk, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr.trim().split('\n')).toHaveLength(1)
    expect(r.stderr).toMatch(/junk\.bin: is binary data/)
    expect(existsSync(out)).toBe(false)
    const xml = readFileSync(join(FIX, 'hwloc/64intel64-heteromem.xml'), 'utf8')
    const cut = join(dir, 'cut.xml')
    writeFileSync(cut, xml.slice(0, Math.floor(xml.length / 2)))
    const t = await runCli(['import-machine', cut, '--out', out])
    expect(t.code).toBe(2)
    expect(t.stderr).toMatch(/cut\.xml: is not well-formed XML \(line \d+/)
    expect(t.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(out)).toBe(false)
  })
})

describe('tierlab capture', () => {
  it('prints a script that runs under sh here and whose tarball imports', async () => {
    const cap = await runCli(['capture'])
    expect(cap.code).toBe(0)
    expect(cap.stdout.startsWith('#!/bin/sh')).toBe(true)
    const script = join(dir, 'capture.sh')
    writeFileSync(script, cap.stdout)
    const ran = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(
        'sh',
        [script],
        { env: { ...process.env, TIERLAB_CAPTURE_DIR: dir }, timeout: 60_000 },
        (err, stdout, stderr) => resolve({ code: err ? 1 : 0, stdout, stderr }),
      ),
    )
    expect(ran.code).toBe(0)
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tar.gz'))
    expect(tarball).toBeDefined()
    expect(ran.stdout.trim()).toBe(join(dir, tarball as string))
    const imp = await runCli(['import-machine', join(dir, tarball as string), '--json'])
    expect(imp.code).toBe(0)
    const topo = JSON.parse(imp.stdout)
    expect(topo.source).toMatch(/sysfs/)
    expect(
      topo.components.filter((c: { kind: string }) => c.kind === 'socket').length,
    ).toBeGreaterThan(0)
  })
})

describe('tierlab import-trace', () => {
  it('turns a Lackey trace into a workload file', async () => {
    const out = join(dir, 'workload.json')
    const r = await runCli([
      'import-trace',
      join(FIX, 'lackey/hot.lackey.gz'),
      '--initiator',
      's1',
      '--out',
      out,
    ])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/lackey trace, 55717 accesses, 1363968 bytes touched/)
    const w = JSON.parse(readFileSync(out, 'utf8'))
    expect(w.format).toBe('tierlab.workload/v1')
    expect(w.processes[0].initiator).toBe('s1')
  })

  it('refuses mixed formats and a bad --format with exit 2', async () => {
    const mixed = join(dir, 'mixed.txt')
    writeFileSync(
      mixed,
      ' L BE801950,4\nthr 11016/11023  1732.630566: page-faults:     7fd7cd439b70\n',
    )
    const r = await runCli(['import-trace', mixed, '--json'])
    expect(r.code).toBe(2)
    expect(r.stdout).toBe('')
    expect(r.stderr).toMatch(/line 2 is perf script but the file began as Valgrind Lackey/)
    const f = await runCli(['import-trace', mixed, '--format', 'pin'])
    expect(f.code).toBe(2)
    expect(f.stderr).toMatch(/--format pin: use one of lackey, perf, drmemtrace, damo/)
  })

  it('refuses an --initiator that cannot be a component id before reading the trace', async () => {
    const out = join(dir, 'w.json')
    const r = await runCli([
      'import-trace',
      join(FIX, 'lackey/hot.lackey.gz'),
      '--initiator',
      'socket 0',
      '--out',
      out,
    ])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /--initiator "socket 0" may use only letters, digits and _ \. : -; give the id of a socket or GPU/,
    )
    expect(r.stderr).not.toMatch(/\n\s+at /)
    expect(existsSync(out)).toBe(false)
  })
})
