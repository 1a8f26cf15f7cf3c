import { transformSync, type Message, type TransformFailure, type TransformResult } from 'esbuild'
import { PolicyScriptError } from './errors'

export type ScriptLanguage = 'js' | 'ts'

/** The language of a script from its file name (`.ts`, `.mts` are TypeScript). */
export function languageOf(fileName: string): ScriptLanguage {
  return /\.m?ts$/i.test(fileName) ? 'ts' : 'js'
}

export interface RunnableScript {
  /** The JavaScript module QuickJS evaluates. */
  js: string
  /** Line in the user's source of a line of `js` (identity for JavaScript). */
  lineOf(generatedLine: number): number
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'

/** Source line (1-based) of each generated line (1-based) from a source map's `mappings`. */
export function sourceLines(mappings: string): number[] {
  const out: number[] = [0]
  let srcLine = 0
  for (const line of mappings.split(';')) {
    let first: number | null = null
    for (const seg of line.split(',')) {
      if (!seg) continue
      const fields: number[] = []
      let value = 0
      let shift = 0
      for (const ch of seg) {
        const digit = B64.indexOf(ch)
        value += (digit & 31) << shift
        if (digit & 32) shift += 5
        else {
          fields.push(value & 1 ? -(value >>> 1) : value >>> 1)
          value = 0
          shift = 0
        }
      }
      if (fields.length >= 3) {
        srcLine += fields[2]
        first ??= srcLine + 1
      }
    }
    out.push(first ?? out[out.length - 1] ?? 1)
  }
  return out
}

/**
 * BigInt arithmetic and decimal conversion run in QuickJS's C code without polling the interrupt
 * handler, and one operation on a ~1 Mbit value takes seconds: `for (;;) (7n ** 300000n).toString()`
 * ran past any CPU budget. Policies count frames and nanoseconds in Numbers, so scripts have no
 * BigInt: the prelude removes the constructor and the BigInt typed arrays, and this refuses the
 * literals (esbuild reports each one when told the target has no BigInt).
 */
function refuseBigInt(warnings: Message[], fileName: string): void {
  const literal = warnings.find((w) => w.text.startsWith('Big integer literals'))
  if (literal)
    throw new PolicyScriptError(
      fileName,
      'uses a BigInt literal, which policy scripts do not have (BigInt arithmetic cannot be stopped by the CPU budget); use a Number',
      literal.location?.line,
    )
}

const ESBUILD = { format: 'esm', target: 'es2023', supported: { bigint: false } } as const

/**
 * JavaScript runs as written; TypeScript loses its types through esbuild (already shipped with
 * tsx, and synchronous, so a worker can compile a script without a second event-loop turn), and
 * errors are mapped back to the lines the user wrote through esbuild's source map.
 */
export function toRunnable(
  source: string,
  fileName: string,
  language: ScriptLanguage,
): RunnableScript {
  if (language === 'js') {
    let warnings: Message[] = []
    try {
      warnings = transformSync(source, { ...ESBUILD, loader: 'js', sourcefile: fileName }).warnings
    } catch {
      // A syntax error: QuickJS reports it with its own words when the module is evaluated.
    }
    refuseBigInt(warnings, fileName)
    return { js: source, lineOf: (l) => l }
  }
  let out: TransformResult
  try {
    out = transformSync(source, {
      ...ESBUILD,
      loader: 'ts',
      sourcemap: 'external',
      sourcefile: fileName,
    })
  } catch (err) {
    const first = (err as TransformFailure).errors?.[0]
    if (!first) throw err
    throw new PolicyScriptError(
      fileName,
      `has a syntax error: ${first.text}; fix the code there`,
      first.location?.line,
    )
  }
  refuseBigInt(out.warnings, fileName)
  const lines = sourceLines((JSON.parse(out.map) as { mappings: string }).mappings)
  return { js: out.code, lineOf: (l) => lines[l] ?? l }
}
