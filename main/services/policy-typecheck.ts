import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ScriptDiagnostic } from '../../shared/user-policies'

type Ts = typeof import('typescript')

/** TypeScript is a development dependency: where it is missing the type check is skipped. */
async function loadTypeScript(): Promise<Ts | null> {
  try {
    const mod = (await import('typescript')) as unknown as { default?: Ts } & Ts
    return mod.default ?? mod
  } catch {
    return null
  }
}

/**
 * The script with its default export checked against TierlabPolicy.PolicyScript through
 * `satisfies`, which also types the hooks' parameters (so `ctx.migrat(…)` is caught). Inserted
 * inline, so every line keeps its number.
 */
function withContract(ts: Ts, source: string, fileName: string, isTs: boolean): string {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.ES2023, true)
  const exp = sf.statements.find(
    (s): s is import('typescript').ExportAssignment =>
      ts.isExportAssignment(s) && !s.isExportEquals,
  )
  if (!exp) return source
  const start = exp.expression.getStart(sf)
  const end = exp.expression.getEnd()
  const open = isTs ? '(' : '/** @satisfies {TierlabPolicy.PolicyScript} */ ('
  const close = isTs ? ') satisfies TierlabPolicy.PolicyScript' : ')'
  return source.slice(0, start) + open + source.slice(start, end) + close + source.slice(end)
}

/**
 * Type-checks a policy script against resources/policy-api.d.ts with no Node or DOM types, so a
 * reach for `process` or `fs` is an error here too. Returns null when TypeScript is not installed.
 */
export async function typecheckPolicyScript(
  source: string,
  fileName: string,
  resourcesDir: string,
): Promise<ScriptDiagnostic[] | null> {
  const ts = await loadTypeScript()
  if (!ts) return null
  const api = await readFile(join(resourcesDir, 'policy-api.d.ts'), 'utf8')
  const isTs = /\.m?ts$/i.test(fileName)
  const userFile = `/policy/${isTs ? 'policy.ts' : 'policy.js'}`
  const files = new Map([
    ['/policy/policy-api.d.ts', api],
    [userFile, withContract(ts, source, fileName, isTs)],
  ])
  const options: import('typescript').CompilerOptions = {
    noEmit: true,
    allowJs: true,
    checkJs: true,
    strict: false,
    noImplicitAny: false,
    target: ts.ScriptTarget.ES2023,
    module: ts.ModuleKind.ESNext,
    lib: ['lib.es2023.d.ts'],
    types: [],
  }
  const host = ts.createCompilerHost(options)
  const getSourceFile = host.getSourceFile.bind(host)
  host.getSourceFile = (name, lang) => {
    const text = files.get(name)
    return text !== undefined
      ? ts.createSourceFile(name, text, lang, true)
      : getSourceFile(name, lang)
  }
  host.fileExists = (name) => files.has(name) || ts.sys.fileExists(name)
  host.readFile = (name) => files.get(name) ?? ts.sys.readFile(name)
  const program = ts.createProgram([...files.keys()], options, host)
  const diags = [...program.getSyntacticDiagnostics(), ...program.getSemanticDiagnostics()]
  return diags
    .filter((d) => d.file?.fileName === userFile)
    .map((d) => {
      const line =
        d.file && d.start !== undefined
          ? d.file.getLineAndCharacterOfPosition(d.start).line + 1
          : null
      const text = ts.flattenDiagnosticMessageText(d.messageText, ' ')
      return { line, message: `${fileName}${line ? ` line ${line}` : ''}: ${text}` }
    })
}
