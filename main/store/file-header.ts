/**
 * The parts of an SQLite file's first page Tierlab reads before opening it
 * (sqlite.org/fileformat.html §1.3 "The database header", §1.6 "B-tree pages").
 */
export const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')
/** The 100-byte header plus page 1's 8-byte b-tree page header (the schema table's root). */
export const HEAD_BYTES = 108

export interface SqliteHeader {
  pageBytes: number
  /** Pages the header says the file has, or null when that field is not trustworthy. */
  pageCount: number | null
  /** Both format bytes are 2 in WAL mode. */
  walMode: boolean
  userVersion: number
  applicationId: number
  /** Whether the schema table (page 1) holds any entry: a table, index, view or trigger. */
  hasSchemaEntries: boolean
}

/** Null when `head` is not the start of an SQLite 3 database. */
export function parseSqliteHeader(head: Buffer): SqliteHeader | null {
  if (head.length < HEAD_BYTES || !head.subarray(0, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    return null
  }
  const rawPageBytes = head.readUInt16BE(16) // offset 16; the value 1 means 65536
  const pageBytes = rawPageBytes === 1 ? 65536 : rawPageBytes
  if (pageBytes < 512 || (pageBytes & (pageBytes - 1)) !== 0) return null
  // Offset 28 (size in pages) is valid only if offset 92 ("version-valid-for") equals the change
  // counter at offset 24; older writers left it stale.
  const pageCount = head.readUInt32BE(92) === head.readUInt32BE(24) ? head.readUInt32BE(28) : null
  // Page 1's b-tree header follows the file header: 0x0d = leaf table page, cells at offset 3.
  const leaf = head[100] === 0x0d
  return {
    pageBytes,
    pageCount,
    walMode: head[18] === 2 && head[19] === 2,
    userVersion: head.readInt32BE(60),
    applicationId: head.readInt32BE(68),
    hasSchemaEntries: !leaf || head.readUInt16BE(103) > 0,
  }
}
