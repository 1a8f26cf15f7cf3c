/**
 * `PRAGMA application_id` of every Tierlab database: the bytes "TLAB" read as a big-endian 32-bit
 * integer (SQLite stores it at header offset 68). It lets Tierlab, and `file(1)`-style tools,
 * tell its archive from another program's SQLite file before touching it.
 */
export const TIERLAB_APPLICATION_ID = 0x544c4142

export function formatApplicationId(id: number): string {
  return `0x${(id >>> 0).toString(16).padStart(8, '0')}`
}
