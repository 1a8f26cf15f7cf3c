import type { ScriptDiagnostic } from '../../../../../shared/user-policies'

export interface RangeDiagnostic {
  from: number
  to: number
  severity: 'error'
  message: string
}

/**
 * Problems of a script as editor ranges: the whole line named by the diagnostic (1-based), or the
 * first line when the sandbox could not say where. Lines beyond the text clamp to its end.
 */
export function toRanges(text: string, diagnostics: ScriptDiagnostic[]): RangeDiagnostic[] {
  const starts = [0]
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') starts.push(i + 1)
  return diagnostics.map((d) => {
    const line = Math.min(Math.max(1, d.line ?? 1), starts.length)
    const from = starts[line - 1]
    const next = line < starts.length ? starts[line] - 1 : text.length
    return { from, to: Math.max(from, next), severity: 'error', message: d.message }
  })
}
