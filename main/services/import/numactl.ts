import { countList } from './cpulist'
import { ImportError } from './errors'
import { emptyFacts, nodeOf, type MachineFacts } from './facts'

/**
 * `numactl --hardware` (numactl.c hardware(); formats-and-ux.md §1.2): nodes, their CPUs (plain or
 * `--cpu-compress` ranges with their count, `0-55, 112-167 (112)`), `size: N MB` (MiB: the value is
 * bytes >> 20) and the distance table (the SLIT; `% 3d` columns up to numactl 2.0.18, `% 4d` from
 * 2.0.19). Lines are read without their indentation, so output pasted from a mail, a wiki or a
 * terminal prompt reads the same. Lines this parser does not know are ignored but counted: an
 * output with none of the expected lines is refused rather than half read.
 */
export function looksLikeNumactl(head: string): boolean {
  return /^[ \t]*available: \d+ nodes?/m.test(head) || /^[ \t]*node \d+ (cpus|size):/m.test(head)
}

export function parseNumactl(text: string, file: string): MachineFacts {
  if (/No NUMA available/i.test(text))
    throw new ImportError(
      file,
      'says "No NUMA available": the machine has one node; draw it as one socket',
    )
  const facts = emptyFacts()
  facts.sources.push('numactl --hardware')
  let announced: number | null = null
  let inDistances = false
  let header: number[] | null = null
  const rows = new Map<number, number[]>()
  let unknown = 0
  let noDistances = false
  const sizeNotAvailable = new Set<number>()
  for (const raw of text.split(/\r?\n|\r/)) {
    const line = raw.trim()
    let m: RegExpExecArray | null
    if ((m = /^available: (\d+) nodes?/.exec(line))) announced = Number(m[1])
    else if ((m = /^node (\d+) cpus:(.*)$/.exec(line))) {
      nodeOf(facts, Number(m[1])).cpus = cpuCount(m[1], m[2], file)
    } else if ((m = /^node (\d+) size: (\d+) (MB|kB|GB)$/.exec(line))) {
      const unit = m[3] === 'kB' ? 2 ** 10 : m[3] === 'GB' ? 2 ** 30 : 2 ** 20
      nodeOf(facts, Number(m[1])).capacityBytes = Number(m[2]) * unit
    } else if ((m = /^node (\d+) size: <not available>$/.exec(line))) {
      nodeOf(facts, Number(m[1]))
      sizeNotAvailable.add(Number(m[1]))
    } else if (/^node \d+ free:/.test(line)) continue
    else if (/^No distance information available/i.test(line)) noDistances = true
    else if (/^node distances:/.test(line)) inDistances = true
    else if (inDistances && (m = /^node\s+([\d\s]+)$/.exec(line)))
      header = m[1].trim().split(/\s+/).map(Number)
    else if (inDistances && (m = /^(\d+):\s+([\d\s]+)$/.exec(line)))
      rows.set(Number(m[1]), m[2].trim().split(/\s+/).map(Number))
    // The command line and prompts around it, when the output was pasted from a terminal
    // (`$ numactl -H`, `[root@host ~]# numactl --hardware`, `user@host:~$`).
    else if (/\bnumactl\s+(-H|--hardware)\b/.test(line) || /[$#%>]$/.test(line)) continue
    // Markdown code fences, when it was copied from an issue or a wiki.
    else if (/^(```|~~~)/.test(line)) continue
    else if (line !== '') unknown++
  }
  if (facts.nodes.size === 0)
    throw new ImportError(
      file,
      'has no `node N cpus:` or `node N size:` lines; it is not `numactl --hardware` output (or from a numactl version Tierlab does not know); run `numactl --hardware > FILE` and give that file',
    )
  if (unknown > 0)
    facts.warnings.push(
      `${file}: ${unknown} line(s) are not in the numactl --hardware format Tierlab knows; they were skipped, check the nodes against the file`,
    )
  // numactl prints every node's cpus and size lines, then a complete table whose diagonal is the
  // local distance 10 (LOCAL_DISTANCE): anything less is a file cut short, not a machine.
  const cut = (what: string) =>
    new ImportError(
      file,
      `${what}: the output is cut short or edited; give the whole output of \`numactl --hardware\``,
    )
  for (const n of facts.nodes.values()) {
    if (n.cpus === undefined) n.cpus = 0
    if (n.capacityBytes !== undefined) continue
    if (!sizeNotAvailable.has(n.node)) throw cut(`node ${n.node} has no "size:" line`)
    facts.warnings.push(
      `${file}: node ${n.node} size is "<not available>"; its capacity is taken from another file or 0`,
    )
  }
  if (announced !== null && announced > facts.nodes.size)
    throw cut(`says "available: ${announced} nodes" but lists ${facts.nodes.size}`)
  if (announced !== null && announced < facts.nodes.size)
    facts.warnings.push(
      `${file}: says "available: ${announced} nodes" but lists ${facts.nodes.size}; importing the ${facts.nodes.size} listed`,
    )
  if (inDistances) {
    if (!header) throw cut('the node distances table has no header')
    const ids = header
    const missing = ids.filter((id) => rows.get(id)?.length !== ids.length)
    if (missing.length > 0 || rows.size !== ids.length)
      throw cut(
        `the node distances rows of node(s) ${missing.join(', ') || '?'} are missing or short`,
      )
    const local = ids.find((id, i) => (rows.get(id) as number[])[i] !== 10)
    if (local !== undefined)
      throw cut(
        `node ${local}'s distance to itself is ${(rows.get(local) as number[])[ids.indexOf(local)]}, not 10`,
      )
    facts.slit = { nodeIds: ids, matrix: ids.map((id) => rows.get(id) as number[]) }
  } else if (noDistances)
    facts.warnings.push(
      `${file}: numactl printed "No distance information available" (the firmware has no SLIT); distances are derived from the drawn links`,
    )
  else
    facts.warnings.push(
      `${file}: has no "node distances:" table; distances are derived from the drawn links — give the whole output of \`numactl --hardware\``,
    )
  return facts
}

/**
 * A `node N cpus:` list: ids separated by spaces, or `--cpu-compress` ranges (numactl 2.0.17+)
 * followed by their count in parentheses, which must agree with the ranges.
 */
function cpuCount(node: string, list: string, file: string): number {
  const m = /^(.*?)\s*(?:\((\d+)\))?$/.exec(list.trim()) as RegExpExecArray
  const n = countList(m[1])
  if (n === null)
    throw new ImportError(
      file,
      `node ${node} cpus: "${list.trim()}" is not a CPU list; give the output of \`numactl --hardware\` unchanged`,
    )
  if (m[2] !== undefined && Number(m[2]) !== n)
    throw new ImportError(
      file,
      `node ${node} cpus: "${list.trim()}" lists ${n} CPUs but says (${m[2]}); give the output of \`numactl --hardware\` unchanged`,
    )
  return n
}
