/**
 * Line-based trace formats (formats-and-ux.md §1.6, §1.7; upstream-2026.md §5). Each line is an
 * access, a line to skip (instruction fetches, markers, banners), or foreign (null). Addresses stay
 * hex strings: a 64-bit address loses precision as a JS number, its page number does not.
 */
export interface TraceEvent {
  pid: string
  tid: string
  addrHex: string
  isWrite: boolean
  /** ns since an arbitrary origin, or null when the format has no time. */
  timeNs: number | null
  /** Bytes the access covers, where the format says (Lackey, drmemtrace): one that crosses a page
   * boundary touches the next page too. */
  sizeBytes?: number
}

/** A line of the format that cannot be used, and why (the importer stops with it). */
export interface LineProblem {
  problem: string
}

export type LineResult = TraceEvent | 'skip' | LineProblem | null

export interface LineFormat {
  id: 'lackey' | 'perf' | 'drmemtrace'
  label: string
  timed: boolean
  /** A line that only this format writes. */
  detect(line: string): boolean
  parse(line: string): LineResult
  /** What the parsed lines lacked, once the file has ended. */
  warnings?(): string[]
}

const LACKEY_DATA = /^ ([LSM]) ([0-9A-Fa-f]+),(\d+)\s*$/
const LACKEY_INSTR = /^I {2}[0-9A-Fa-f]+,\d+\s*$/
const LACKEY_INSTR_ADDR = /^I {2}([0-9A-Fa-f]+),(\d+)\s*$/
/** `--trace-superblocks=yes`: the address of each superblock entered, no data access. */
const LACKEY_SUPERBLOCK = /^SB [0-9A-Fa-f]+\s*$/
/** `==PID==` messages, `--PID--` with -v: Valgrind's own lines. */
const VALGRIND_BANNER = /^(?:==(\d+)==|--(\d+)--)/

/** How lines become accesses, where the user has a say. */
export interface LineFormatOptions {
  /** Instruction fetches count as reads, so code pages join the footprint (default: data only). */
  instructions?: boolean
}

/**
 * Valgrind Lackey `--trace-mem=yes`: ` L addr,size`, ` S`, ` M` (load+store), `I` fetches, and
 * with `--trace-superblocks=yes` `SB addr` lines; `==PID==` lines name the process.
 */
export function lackeyFormat(opts: LineFormatOptions = {}): LineFormat {
  let pid = 'lackey'
  const pids = new Set<string>()
  const instructions = opts.instructions === true
  let fetches = 0
  return {
    id: 'lackey',
    label: 'Valgrind Lackey',
    timed: false,
    detect: (l) => LACKEY_DATA.test(l) || LACKEY_INSTR.test(l),
    parse(line) {
      // Most lines are instruction fetches: settle them on the first characters.
      if (line.charCodeAt(0) === 73 /* I */ && line.charCodeAt(1) === 32) {
        fetches++
        if (!instructions) return 'skip'
        const i = LACKEY_INSTR_ADDR.exec(line)
        return i
          ? { pid, tid: pid, addrHex: i[1], isWrite: false, timeNs: null, sizeBytes: +i[2] }
          : null
      }
      const m = LACKEY_DATA.exec(line)
      if (m)
        return {
          pid,
          tid: pid,
          addrHex: m[2],
          isWrite: m[1] !== 'L',
          timeNs: null,
          sizeBytes: +m[3],
        }
      const banner = VALGRIND_BANNER.exec(line)
      if (banner) {
        pid = banner[1] ?? banner[2]
        if (pids.size < 2) pids.add(pid)
        return 'skip'
      }
      return LACKEY_INSTR.test(line) || LACKEY_SUPERBLOCK.test(line) || line.trim() === ''
        ? 'skip'
        : null
    },
    // Valgrind --trace-children=yes with one --log-file: the processes' lines interleave unmarked.
    warnings: () => [
      ...(pids.size > 1
        ? [
            `Lackey lines carry no pid and this file holds several processes' (==${[...pids].join('==, ==')}== …): each access is given to the process whose ==PID== line came last; record with --log-file=trace.%p for one file per process`,
          ]
        : []),
      ...(fetches > 0 && !instructions
        ? [
            `${fetches} instruction fetches (I lines) are not counted: the workload holds the program's data pages; --instructions counts fetches as reads, so code pages join the footprint`,
          ]
        : []),
    ],
  }
}

const PERF_HEAD = /^\s*(.*?)\s*(\d+)(?:\/(\d+))?\s+(?:\[\d+\]\s+)?(\d+\.\d+):\s+(.*)$/
const PERF_REST = /^(?:\d+\s+)?(\S+):\s+([0-9a-fA-F]+)\b(.*)$/
const PERF_BARE = /^\s*(\d+\.\d+):\s+([0-9a-fA-F]+)\b(.*)$/
/** `-F …,addr` without the event: the address right after the time. */
const PERF_ADDR_ONLY = /^([0-9a-fA-F]{4,16})\b(.*)$/
/** A hex number followed by `sym+0xoff (dso)`: an instruction address (ip), not a data address. */
const PERF_IP_AFTER = /^\s+(?:[^\s|]+\+0x[0-9a-fA-F]+|\[unknown\])\s+\(/
const PERF_NO_ADDR: LineProblem = {
  problem:
    'has an instruction address (ip, then its symbol) where perf script puts the data address: the samples carry none or it was not printed; record with `perf mem record` or `perf record -d` and print with `perf script -F comm,pid,tid,time,event,addr`',
}

/**
 * `perf script` of `perf mem record` / `perf record -d`: `comm pid[/tid] [cpu] time: [period]
 * event: addr data_src |decoded| …`, with `-F comm,pid,tid,time,addr` no event, or with
 * `-F time,addr,…` just `time: addr …`. A store is an event or data source naming STORE; every
 * sample counts once. perf script's default fields for `perf record -d` of a software event print
 * the ip and its symbol there instead of the address: that is a problem, not an access.
 */
export function perfFormat(): LineFormat {
  // perf script prints `comm tid` by default, `comm pid/tid` with -F pid,tid.
  const bareIds = new Set<string>()
  const event = (line: string): TraceEvent | LineProblem | null => {
    const bare = PERF_BARE.exec(line)
    if (bare && PERF_IP_AFTER.test(bare[3])) return PERF_NO_ADDR
    if (bare)
      return {
        pid: 'perf',
        tid: 'perf',
        addrHex: bare[2],
        isWrite: /STORE/i.test(bare[3]),
        timeNs: Math.round(Number(bare[1]) * 1e9),
      }
    const h = PERF_HEAD.exec(line)
    if (!h) return null
    const r = PERF_REST.exec(h[5])
    if (!r) {
      const a = PERF_ADDR_ONLY.exec(h[5])
      if (!a) return null
      return {
        pid: h[2],
        tid: h[3] ?? h[2],
        addrHex: a[1],
        isWrite: /OP STORE/i.test(a[2]),
        timeNs: Math.round(Number(h[4]) * 1e9),
      }
    }
    if (PERF_IP_AFTER.test(r[3])) return PERF_NO_ADDR
    if (h[3] === undefined && bareIds.size < 2) bareIds.add(h[2])
    return {
      pid: h[2],
      tid: h[3] ?? h[2],
      addrHex: r[2],
      isWrite: /store/i.test(r[1]) || /OP STORE/i.test(r[3]),
      timeNs: Math.round(Number(h[4]) * 1e9),
    }
  }
  return {
    id: 'perf',
    label: 'perf script',
    timed: true,
    detect: (l) => event(l) !== null,
    parse: (line) => (line.trim() === '' || line.startsWith('#') ? 'skip' : event(line)),
    warnings: () =>
      bareIds.size > 1
        ? [
            'perf script printed one id per sample (its default `comm tid`), so each thread is taken as its own process and address space: a page threads share counts once per thread; print `-F comm,pid,tid,time,event,addr` to group threads by pid',
          ]
        : [],
  }
}

const DR_ACCESS = /(?:T(\d+)|:\s+(\d+))\s+(read|write)\s+(\d+) byte\(s\) @ 0x([0-9a-fA-F]+)/
const DR_OTHER = /byte\(s\) @|<marker:|^Output format|^-{5,}|^<--|^\s*(T\d+|\d+:|\d+\s+\d+:)/

/**
 * DynamoRIO drmemtrace as its `view` tool prints it (`-simulator_type view`): `record instr: tid
 * read|write N byte(s) @ 0xADDR …`, older `N: T<tid> read …` or `T<tid> read …`. Instruction
 * fetches, markers and headers are skipped; drmemtrace has no wall time in this view, so phases
 * follow the access count. All threads share one address space (one traced process).
 */
export function drmemtraceFormat(): LineFormat {
  return {
    id: 'drmemtrace',
    label: 'DynamoRIO drmemtrace (view)',
    timed: false,
    detect: (l) => DR_ACCESS.test(l) || /<marker: (version|filetype|timestamp)/.test(l),
    parse(line) {
      const m = DR_ACCESS.exec(line)
      if (m)
        return {
          pid: 'drmemtrace',
          tid: m[1] ?? m[2],
          addrHex: m[5],
          isWrite: m[3] === 'write',
          timeNs: null,
          sizeBytes: +m[4],
        }
      return line.trim() === '' || DR_OTHER.test(line) ? 'skip' : null
    },
  }
}

export const LINE_FORMATS = [lackeyFormat, perfFormat, drmemtraceFormat]
export type LineFormatId = LineFormat['id']

/** The format most of the head's lines belong to, or null. */
export function detectLineFormat(lines: string[], opts: LineFormatOptions = {}): LineFormat | null {
  let best: LineFormat | null = null
  let bestHits = 0
  for (const make of LINE_FORMATS) {
    const f = make(opts)
    const hits = lines.filter((l) => f.detect(l)).length
    if (hits > bestHits) {
      best = f
      bestHits = hits
    }
  }
  return best
}

export function makeLineFormat(id: LineFormatId, opts: LineFormatOptions = {}): LineFormat {
  return (LINE_FORMATS.find((m) => m().id === id) as (o: LineFormatOptions) => LineFormat)(opts)
}
