import { execFile, execFileSync } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readBundle } from '../../../../../main/services/import/bundle'
import { captureScript } from '../../../../../main/services/import/capture-script'
import { importMachine } from '../../../../../main/services/import/machine'
import { FIXTURES } from './helpers'

/** The POSIX shells a user's machine may run the script with; those not installed here are skipped. */
const SHELLS = [
  ['sh'],
  ['dash'],
  ['busybox', 'sh'],
  ['posh'],
  ['mksh'],
  ['bash', '--posix'],
].filter(([cmd]) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
})

let dir: string
let script: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tierlab-capture-'))
  script = join(dir, 'capture.sh')
  writeFileSync(script, captureScript())
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function run(shell: string[], opts: { cwd: string; env: Record<string, string | undefined> }) {
  const env: Record<string, string> = {}
  for (const [k, v] of Object.entries({ ...process.env, ...opts.env }))
    if (v !== undefined && k !== 'TIERLAB_CAPTURE_DIR') env[k] = v
  if (opts.env.TIERLAB_CAPTURE_DIR) env.TIERLAB_CAPTURE_DIR = opts.env.TIERLAB_CAPTURE_DIR
  return new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
    execFile(
      shell[0],
      [...shell.slice(1), script],
      { cwd: opts.cwd, env, timeout: 60_000 },
      (err, stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    ),
  )
}

/** A tool on PATH that prints a fixture, or fails on an option it does not know (old ndctl). */
function fakeTool(bin: string, name: string, body: string) {
  mkdirSync(bin, { recursive: true })
  writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`)
  chmodSync(join(bin, name), 0o755)
}

describe.each(SHELLS.map((s) => [s.join(' '), s]))('tierlab capture under %s', (_, shell) => {
  it('writes to TMPDIR when the current folder is read-only, and the bundle imports', async () => {
    const tmp = join(dir, 'tmp')
    mkdirSync(tmp)
    // /proc refuses new files even to root, so the fallback is exercised whoever runs the test.
    const r = await run(shell, { cwd: '/proc', env: { TMPDIR: tmp } })
    expect(r.stderr).toMatch(/this folder is read-only; writing the bundle to /)
    expect(r.code).toBe(0)
    const tarball = r.stdout.trim()
    expect(tarball.startsWith(`${tmp}/tierlab-capture-`)).toBe(true)
    const { topology, warnings } = await importMachine([
      { name: tarball, data: readFileSync(tarball) },
    ])
    expect(topology.components.some((c) => c.kind === 'socket')).toBe(true)
    // The same node's size from sysfs (KiB) and numactl (whole MiB) is not a disagreement.
    expect(warnings.join('\n')).not.toMatch(/in an earlier file/)
  })

  it('runs with TMPDIR pointing nowhere, and refuses an unwritable TIERLAB_CAPTURE_DIR in one line', async () => {
    const ok = await run(shell, { cwd: dir, env: { TMPDIR: join(dir, 'missing') } })
    expect(ok.code).toBe(0)
    expect(ok.stdout.trim()).toMatch(/^\.\/tierlab-capture-.*\.tar\.gz$/)
    const bad = await run(shell, { cwd: dir, env: { TIERLAB_CAPTURE_DIR: '/proc' } })
    expect(bad.code).toBe(1)
    expect(bad.stdout).toBe('')
    expect(bad.stderr.trim().split('\n')).toEqual([
      'tierlab capture: TIERLAB_CAPTURE_DIR=/proc is not a folder you can write to; set it to one that is',
    ])
  })

  it('lists CXL regions with a cxl-cli that has no -X (ndctl 76)', async () => {
    const bin = join(dir, 'bin')
    fakeTool(
      bin,
      'cxl',
      `case "$*" in *X*) echo "  Error: unknown switch \\\`X'" >&2; exit 129;; esac\ncat '${join(FIXTURES, 'cxl/single-device.json')}'`,
    )
    fakeTool(bin, 'daxctl', `printf '[\\n]\\n'`)
    const r = await run(shell, { cwd: dir, env: { PATH: `${bin}:${process.env.PATH}` } })
    expect(r.code).toBe(0)
    const files = await readBundle(readFileSync(join(dir, r.stdout.trim())), 'bundle')
    const get = (suffix: string) => [...files].find(([p]) => p.endsWith(suffix))?.[1]
    expect(get('/cxl-list.json')).toBe(
      readFileSync(join(FIXTURES, 'cxl/single-device.json'), 'utf8'),
    )
    expect(get('/capture.log')).toMatch(/failed: cxl list -RXMv\n(.*\n)*ok: cxl list -RMv/)
    // daxctl's "[ ]" on a machine without DAX devices is dropped, not imported as a bad file.
    expect(get('/daxctl-list.json')).toBeUndefined()
    expect(get('/capture.log')).toMatch(/empty: daxctl list/)
  })
  it('describes a machine whose sysfs has no NUMA node as one node with its CPUs and MemTotal', async () => {
    const bin = join(dir, 'bin')
    // numactl and hwloc as a container without NUMA sysfs answers them.
    fakeTool(bin, 'numactl', 'echo "No NUMA available on this system"; exit 1')
    for (const tool of ['lstopo', 'lstopo-no-graphics']) fakeTool(bin, tool, 'exit 1')
    const r = await run(shell, {
      cwd: dir,
      env: { PATH: `${bin}:${process.env.PATH}`, TIERLAB_SYSFS_NODE: join(dir, 'no-sysfs') },
    })
    expect(r.code).toBe(0)
    const tarball = join(dir, r.stdout.trim())
    const { topology, warnings } = await importMachine([
      { name: tarball, data: readFileSync(tarball) },
    ])
    const cpus = Number(execFileSync('getconf', ['_NPROCESSORS_ONLN']).toString())
    const memTotalKiB = Number(
      /^MemTotal:\s+(\d+) kB/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1],
    )
    expect(topology.components).toHaveLength(1)
    expect(topology.components[0]).toMatchObject({ kind: 'socket', cores: cpus })
    const c = topology.components[0]
    expect('memory' in c && c.memory.capacityGiB * 2 ** 30).toBe(memTotalKiB * 1024)
    expect(warnings.join('\n')).toMatch(
      /showed no NUMA nodes in sysfs .* one node with \d+ CPUs and MemTotal/,
    )
  })
})
