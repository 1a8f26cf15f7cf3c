import type Database from 'better-sqlite3'
import type { RunOwner } from './lifecycle'

/** Whether a process with this id exists on this machine. */
export function isProcessAlive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0) // signal 0: existence check only
    return true
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

interface LiveRow {
  id: number
  owner_pid: number | null
  owner_host: string | null
}

/**
 * Marks 'interrupted' every queued or running run whose owning process is gone, so nothing stays
 * "running" forever after a crash (DESIGN.md §6). The file is shared by the app, the CLI and the
 * web host, so a run owned by a live process here is left alone. A run from another host (or
 * from before v2 recorded owners) cannot be live: WAL needs every connection on one machine.
 * Returns how many runs were marked.
 */
export function interruptOrphanedRuns(
  db: Database.Database,
  self: RunOwner,
  now: () => string,
  alive: (pid: number) => boolean = isProcessAlive,
): number {
  const mark =
    db.prepare(`UPDATE runs SET status = 'interrupted', finished_at = @now, error = @error
    WHERE id = @id AND status IN ('queued', 'running')`)
  const run = db.transaction(() => {
    const rows = db
      .prepare(`SELECT id, owner_pid, owner_host FROM runs WHERE status IN ('queued', 'running')`)
      .all() as LiveRow[]
    let marked = 0
    for (const row of rows) {
      const orphaned =
        row.owner_pid === null || row.owner_host !== self.host || !alive(row.owner_pid)
      if (!orphaned) continue
      const who =
        row.owner_pid === null ? 'the Tierlab process' : `Tierlab process ${row.owner_pid}`
      mark.run({
        id: row.id,
        now: now(),
        error: `Interrupted: ${who} that ran it stopped before it finished. Run the experiment again.`,
      })
      marked++
    }
    return marked
  })
  return run.immediate()
}
