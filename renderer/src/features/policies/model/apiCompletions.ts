/**
 * Completion for policy scripts from the generated resources/policy-api.d.ts: the members of each
 * interface (with their doc comment), and which variable names usually hold which interface in a
 * script (`ctx`, `fault`, `s` of samples, …). Pure, so it is unit-tested without an editor.
 */

export interface ApiMember {
  name: string
  /** 'method' or 'property', as CodeMirror's completion types name them. */
  kind: 'method' | 'property'
  /** The declaration as written (`nodeFreeBytes(node: number): number`). */
  detail: string
  doc: string
}

/** interface name → its members, from the d.ts text. */
export function parseApiDts(dts: string): Map<string, ApiMember[]> {
  const out = new Map<string, ApiMember[]>()
  const iface = /\b(?:interface|class) (\w+)(?:<[^>]*>)?(?: extends [^{]+)? \{([\s\S]*?)\n\s{2}\}/g
  for (const m of dts.matchAll(iface)) {
    const members: ApiMember[] = []
    let doc = ''
    // Parameters of a multi-line signature are not members: track the parentheses.
    let depth = 0
    for (const raw of m[2].split('\n')) {
      const line = raw.trim()
      const comment = line.startsWith('/**') || line.startsWith('*')
      const atTop = depth === 0
      if (!comment) depth += (line.match(/\(/g)?.length ?? 0) - (line.match(/\)/g)?.length ?? 0)
      if (!atTop) continue
      if (line.startsWith('/**')) {
        doc = line.replace(/^\/\*\*\s?/, '').replace(/\s?\*\/$/, '')
        continue
      }
      if (line.startsWith('*')) {
        const more = line.replace(/^\*\/?\s?/, '').replace(/\s?\*\/$/, '')
        if (more) doc = doc ? `${doc} ${more}` : more
        continue
      }
      const member = /^(?:readonly\s+)?(\w+)(\??)(\(|:)/.exec(line)
      if (member && member[1] !== 'constructor') {
        members.push({
          name: member[1],
          kind: member[3] === '(' ? 'method' : 'property',
          detail: line.replace(/;$/, ''),
          doc,
        })
        doc = ''
      }
    }
    out.set(m[1], members)
  }
  return out
}

/** Variable names a script commonly gives each API value (the templates use these). */
export const VARIABLE_TYPES: Record<string, string> = {
  ctx: 'PolicyContext',
  fault: 'HintFault',
  f: 'HintFault',
  s: 'AccessSample',
  sample: 'AccessSample',
  req: 'AllocationRequest',
  pass: 'ScanPassEnd',
  record: 'CxlHotRecord',
  rec: 'CxlHotRecord',
  note: 'GpuCounterNotification',
  rng: 'Rng',
}

export interface CompletionAnswer {
  /** Offset in the line where the completed word starts. */
  from: number
  options: ApiMember[]
}

/**
 * What to offer at the end of `lineBefore` (the line up to the cursor): members after `ctx.` and
 * friends (`ctx.rng.` and `ctx.processes[i].` too), hook names where an object key is typed.
 */
export function completeAt(
  lineBefore: string,
  api: Map<string, ApiMember[]>,
): CompletionAnswer | null {
  const member = /([A-Za-z_$][\w$]*)((?:\[[^\]]*\])?)\.(?:(rng)\.)?([\w$]*)$/.exec(lineBefore)
  if (member) {
    let type = VARIABLE_TYPES[member[1]]
    if (member[1] === 'processes' && member[2]) type = 'ProcessInfo'
    if (member[1] === 'regions' && member[2]) type = 'RegionInfo'
    if (member[3] === 'rng' && type === 'PolicyContext') type = 'Rng'
    const options = type ? api.get(type) : undefined
    if (!options) return null
    const word = member[4]
    return {
      from: lineBefore.length - word.length,
      options: options.filter((o) => o.name.startsWith(word)),
    }
  }
  const key = /^\s*([A-Za-z]*)$/.exec(lineBefore)
  if (key && key[1].length > 0) {
    const hooks = api.get('ScriptHooks') ?? []
    const options = hooks.filter((h) => h.name.startsWith(key[1]))
    return options.length ? { from: lineBefore.length - key[1].length, options } : null
  }
  return null
}
