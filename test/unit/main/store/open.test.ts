import { spawnSync } from 'node:child_process'
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LATEST_SCHEMA_VERSION,
  StoreError,
  TIERLAB_APPLICATION_ID,
  openStore,
} from '../../../../main/store'
import { makeTempDir, runInput, sampleTopology, snapshot, steppingClock } from './helpers'

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = makeTempDir()))
afterEach(() => cleanup())

/** The StoreError openStore throws for `file`, or a failure if it opens. */
function refusal(file: string): StoreError {
  try {
    openStore(file).close()
  } catch (error) {
    expect(error).toBeInstanceOf(StoreError)
    return error as StoreError
  }
  throw new Error(`openStore(${file}) opened a file it should have refused`)
}

/** A real Tierlab database with enough rows to span many pages. */
function makeRealDatabase(file: string): void {
  const store = openStore(file)
  store.transaction(() => {
    for (let i = 0; i < 100; i++) store.runs.create(runInput({ seed: i, notes: 'x'.repeat(200) }))
  })
  store.close()
}

describe('openStore: new files', () => {
  it('creates a missing file and its folders, in WAL mode, stamped as Tierlab', () => {
    const file = path.join(dir, 'a', 'b', 'tierlab.db')
    const store = openStore(file)
    expect(store.path).toBe(file)
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    expect(store.interruptedAtOpen).toBe(0)
    store.close()

    const raw = new Database(file, { readonly: true })
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(raw.pragma('application_id', { simple: true })).toBe(TIERLAB_APPLICATION_ID)
    expect(raw.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION)
    raw.close()
  })

  it('resolves a relative path to an absolute one', () => {
    const store = openStore(path.relative(process.cwd(), path.join(dir, 'rel.db')))
    expect(store.path).toBe(path.join(dir, 'rel.db'))
    store.close()
  })

  it('adopts an empty (zero-byte) file as a new database', () => {
    const file = path.join(dir, 'empty.db')
    fs.writeFileSync(file, '')
    const store = openStore(file)
    expect(store.topologies.list()).toEqual([])
    store.close()
    expect(fs.statSync(file).size).toBeGreaterThan(0)
  })

  it('reopens its own file and keeps what was saved', () => {
    const file = path.join(dir, 'tierlab.db')
    const first = openStore(file)
    const saved = first.topologies.insert(sampleTopology('kept'))
    first.close()
    const second = openStore(file)
    expect(second.topologies.get(saved.id)?.topology.name).toBe('kept')
    second.close()
  })

  it('opens :memory: for tests of other layers', () => {
    const store = openStore(':memory:')
    expect(store.runs.create(runInput()).status).toBe('queued')
    store.close()
  })

  it('refuses a folder with an io error', () => {
    const error = refusal(dir)
    expect(error.code).toBe('io')
    expect(error.message).toContain(dir)
  })
})

describe('openStore: files it must not touch', () => {
  it('refuses random bytes as corrupt and leaves them byte-identical', () => {
    const file = path.join(dir, 'random.db')
    fs.writeFileSync(file, crypto.randomBytes(8192))
    const before = snapshot(file)
    const error = refusal(file)
    expect(error.code).toBe('corrupt')
    expect(error.path).toBe(file)
    expect(error.message).toContain(file)
    expect(error.message).toContain('not an SQLite database')
    expect(error.message).toContain('--db')
    expect(snapshot(file)).toEqual(before)
  })

  it('refuses a truncated real database as corrupt and leaves it byte-identical', () => {
    const file = path.join(dir, 'truncated.db')
    makeRealDatabase(file)
    const size = fs.statSync(file).size
    fs.truncateSync(file, Math.floor(size / 2))
    const before = snapshot(file)
    const error = refusal(file)
    expect(error.code).toBe('corrupt')
    expect(error.message).toContain(file)
    expect(error.message).toMatch(/has not changed it/)
    expect(snapshot(file)).toEqual(before)
    expect(fs.readdirSync(dir)).toEqual(['truncated.db']) // no -wal/-shm left beside it
  })

  it('refuses a file with an SQLite header but garbage pages as corrupt', () => {
    const file = path.join(dir, 'garbage.db')
    makeRealDatabase(file)
    const bytes = fs.readFileSync(file)
    // Keep page 1 (header + schema) and overwrite every later page with noise.
    const pageBytes = bytes.readUInt16BE(16) // header offset 16: page size
    crypto.randomFillSync(bytes, pageBytes)
    fs.writeFileSync(file, bytes)
    const before = snapshot(file)
    expect(refusal(file).code).toBe('corrupt')
    expect(snapshot(file)).toEqual(before)
    expect(fs.readdirSync(dir)).toEqual(['garbage.db'])
  })

  it("refuses another application's SQLite database as foreign and leaves it alone", () => {
    const file = path.join(dir, 'notes.sqlite')
    const raw = new Database(file)
    raw.exec(
      "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes (body) VALUES ('hi')",
    )
    raw.close()
    const before = snapshot(file)
    const error = refusal(file)
    expect(error.code).toBe('foreign')
    expect(error.message).toContain(file)
    expect(error.message).toContain('another application')
    expect(error.message).toContain('notes')
    expect(snapshot(file)).toEqual(before)
  })

  it('refuses a WAL-mode foreign database, and one with another application_id, untouched', () => {
    const walFile = path.join(dir, 'wal.sqlite')
    const wal = new Database(walFile)
    wal.pragma('journal_mode = WAL')
    wal.exec('CREATE TABLE t (x); INSERT INTO t VALUES (1)')
    wal.close()
    const stamped = path.join(dir, 'stamped.sqlite')
    const other = new Database(stamped)
    other.pragma('application_id = 1234') // no tables, but claimed by another application
    other.exec('VACUUM')
    other.close()
    for (const file of [walFile, stamped]) {
      const before = snapshot(file)
      expect(refusal(file).code).toBe('foreign')
      expect(snapshot(file)).toEqual(before)
    }
    expect(refusal(stamped).message).toContain('application_id 0x000004d2') // 1234 = 0x4d2
    expect(fs.readdirSync(dir).sort()).toEqual(['stamped.sqlite', 'wal.sqlite'])
  })

  it('refuses a database from a newer Tierlab, naming both schema versions, untouched', () => {
    const file = path.join(dir, 'newer.db')
    openStore(file).close()
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_SCHEMA_VERSION + 7}`)
    raw.close()
    const before = snapshot(file)
    const error = refusal(file)
    expect(error.code).toBe('newer')
    expect(error.message).toContain(file)
    expect(error.message).toContain(`schema version ${LATEST_SCHEMA_VERSION + 7}`)
    expect(error.message).toContain(`up to ${LATEST_SCHEMA_VERSION}`)
    expect(snapshot(file)).toEqual(before)
    expect(fs.readdirSync(dir)).toEqual(['newer.db'])
    const check = new Database(file, { readonly: true })
    expect(check.pragma('user_version', { simple: true })).toBe(LATEST_SCHEMA_VERSION + 7)
    check.close()
  })
})

describe('openStore: runs left behind by a dead process', () => {
  /** One queued, one running, one done run, created by this process; returns their ids. */
  function leaveRuns(file: string): { queued: number; running: number; done: number } {
    const store = openStore(file, { clock: steppingClock() })
    const queued = store.runs.create(runInput({ seed: 1 })).id
    const running = store.runs.create(runInput({ seed: 2 })).id
    store.runs.markRunning(running)
    const done = store.runs.create(runInput({ seed: 3 })).id
    store.runs.markRunning(done)
    store.runs.finish(done, { summary: {}, processes: [], series: [], heatmap: null, wallMs: 5 })
    store.close()
    return { queued, running, done }
  }

  it('marks queued and running runs interrupted when their process is gone', () => {
    const file = path.join(dir, 'tierlab.db')
    const ids = leaveRuns(file)
    const store = openStore(file, {
      clock: () => new Date('2026-02-01T00:00:00.000Z'),
      processAlive: () => false,
    })
    expect(store.interruptedAtOpen).toBe(2)
    for (const id of [ids.queued, ids.running]) {
      const run = store.runs.get(id)
      expect(run?.status).toBe('interrupted')
      expect(run?.finishedAt).toBe('2026-02-01T00:00:00.000Z')
      expect(run?.error).toMatch(/process \d+ that ran it stopped/)
    }
    expect(store.runs.get(ids.done)?.status).toBe('done')
    store.close()
  })

  it('leaves runs alone while their owning process is alive (here: this process)', () => {
    const file = path.join(dir, 'tierlab.db')
    const ids = leaveRuns(file)
    const store = openStore(file)
    expect(store.interruptedAtOpen).toBe(0)
    expect(store.runs.get(ids.queued)?.status).toBe('queued')
    expect(store.runs.get(ids.running)?.status).toBe('running')
    store.close()
  })

  it('lets two stores share one file at once, as the app and the CLI do', () => {
    const file = path.join(dir, 'tierlab.db')
    const app = openStore(file)
    const running = app.runs.create(runInput()).id
    app.runs.markRunning(running)
    const cli = openStore(file)
    expect(cli.interruptedAtOpen).toBe(0)
    expect(cli.runs.get(running)?.status).toBe('running')
    const fromCli = cli.runs.create(runInput({ name: 'from the CLI' })).id
    expect(app.runs.get(fromCli)?.name).toBe('from the CLI')
    cli.close()
    app.close()
  })

  it('detects a process that really exited, and runs owned by another host', () => {
    const file = path.join(dir, 'tierlab.db')
    const ids = leaveRuns(file)
    const exited = spawnSync(process.execPath, ['-e', '']).pid
    expect(exited).toBeGreaterThan(0)
    const raw = new Database(file)
    raw.prepare('UPDATE runs SET owner_pid = ? WHERE id = ?').run(exited, ids.queued)
    raw.prepare("UPDATE runs SET owner_host = 'another-machine' WHERE id = ?").run(ids.running)
    raw.close()
    const store = openStore(file)
    expect(store.interruptedAtOpen).toBe(2)
    expect(store.runs.get(ids.queued)?.status).toBe('interrupted')
    expect(store.runs.get(ids.running)?.status).toBe('interrupted')
    store.close()
  })
})

describe('Store.transaction', () => {
  it('rolls every write back when the function throws', () => {
    const store = openStore(path.join(dir, 'tierlab.db'))
    expect(() =>
      store.transaction(() => {
        store.topologies.insert(sampleTopology('a'))
        store.runs.create(runInput())
        throw new Error('stop')
      }),
    ).toThrow('stop')
    expect(store.topologies.list()).toEqual([])
    expect(store.runs.list()).toEqual([])
    expect(store.transaction(() => store.topologies.insert(sampleTopology('b')).name)).toBe('b')
    store.close()
  })
})
