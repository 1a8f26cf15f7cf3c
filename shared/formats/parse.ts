import type { z } from 'zod'
import { checkFormatTag, parseFormatTag, type FormatKind } from './version'
import { topologySchema, type Topology } from './topology'
import { workloadSchema, type Workload } from './workload'
import { experimentSchema, type Experiment } from './experiment'
import { studySchema, type Study } from './study'

/** One problem in a document: where (a JSON path like `components[1].memory.capacityGiB`) and what. */
export interface FieldIssue {
  path: string
  message: string
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: FieldIssue[] }

const schemas = {
  topology: topologySchema,
  workload: workloadSchema,
  experiment: experimentSchema,
  study: studySchema,
} as const

type Parsed = { topology: Topology; workload: Workload; experiment: Experiment; study: Study }

/** `['components', 1, 'memory']` → `components[1].memory`. */
export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = ''
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`
    else out += out ? `.${String(p)}` : String(p)
  }
  return out
}

function typeName(v: unknown): string {
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'an array'
  if (typeof v === 'object') return 'an object'
  if (typeof v === 'string') return `the string ${JSON.stringify(v).slice(0, 40)}`
  return `${typeof v} ${String(v)}`
}

function valueAt(doc: unknown, path: ReadonlyArray<PropertyKey>): unknown {
  let v: unknown = doc
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<PropertyKey, unknown>)[p]
  }
  return v
}

/** Turns zod's issues into messages that say what is wrong and how to fix it. */
export function describeIssues(
  issues: ReadonlyArray<z.core.$ZodIssue>,
  doc: unknown,
): FieldIssue[] {
  const out: FieldIssue[] = []
  for (const issue of issues) {
    const path = formatPath(issue.path)
    const actual = valueAt(doc, issue.path)
    let message = issue.message
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        out.push({
          path: formatPath([...issue.path, key]),
          message: `unknown field "${key}"; remove it or check its spelling`,
        })
      }
      continue
    }
    if (issue.code === 'invalid_type') {
      if (actual === undefined) message = `missing; add this required field (${issue.expected})`
      // JSON.parse turns a literal like 1e400 into Infinity; "expected number, got number" would
      // not say what is wrong.
      else if (typeof actual === 'number' && !Number.isFinite(actual))
        message = 'is too large to be a number; write a value below 1e308'
      else if (message.startsWith('Invalid input'))
        message = `expected ${issue.expected}, got ${typeName(actual)}`
    } else if (issue.code === 'invalid_union' && message === 'Invalid input') {
      message = `has the wrong shape (got ${typeName(actual)}); see resources/schemas for the allowed forms`
    } else if (issue.code === 'invalid_value' && message.startsWith('Invalid')) {
      message = `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${typeName(actual)}`
    } else if (issue.code === 'too_small' && message.startsWith('Too small')) {
      message = `is too small (${message.replace(/^Too small: /, '')}), got ${typeName(actual)}`
    } else if (issue.code === 'too_big' && message.startsWith('Too big')) {
      message = `is too big (${message.replace(/^Too big: /, '')}), got ${typeName(actual)}`
    } else if (actual !== undefined && issue.code !== 'custom' && !/got /.test(message)) {
      message = `${message}, got ${typeName(actual)}`
    }
    out.push({ path: path || '(file)', message })
  }
  return out
}

/** Validates a parsed JSON value as a Tierlab document of the given kind. */
export function parseDocument<K extends keyof typeof schemas>(
  kind: K,
  doc: unknown,
): ParseResult<Parsed[K]> {
  const tagError = checkFormatTag(doc, kind as FormatKind)
  const tagIssue: FieldIssue | null = tagError
    ? {
        // A document that is not even an object has no `format` field to point at.
        path: tagError.startsWith('format: ') ? 'format' : '(file)',
        message: tagError.replace(/^format: /, ''),
      }
    : null
  // Another kind of file, or a newer version, would make every field look wrong: say that alone.
  // A missing or mistyped tag on a document of the right shape is reported with its other
  // problems, so one import shows everything to fix.
  if (tagIssue && !formatTagIsFixable(doc)) return { ok: false, issues: [tagIssue] }
  const res = schemas[kind].safeParse(doc)
  if (res.success && !tagIssue) return { ok: true, value: res.data as Parsed[K] }
  const fieldIssues = res.success ? [] : describeIssues(res.error.issues, doc)
  if (!tagIssue) return { ok: false, issues: fieldIssues }
  return { ok: false, issues: [tagIssue, ...fieldIssues.filter((i) => i.path !== 'format')] }
}

/** An object whose `format` is missing, not a tag, or an unreleased v0: the fields are worth checking. */
function formatTagIsFixable(doc: unknown): boolean {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) return false
  const raw = (doc as Record<string, unknown>).format
  const tag = parseFormatTag(raw)
  return tag === null || tag.major < 1
}

/** Parses file text (JSON) as a Tierlab document; JSON syntax errors become an issue too. */
/**
 * JSON text as a file or a browser decoded it: a leading byte-order mark (U+FEFF, which Windows
 * editors write) is dropped; text that is really UTF-16 (a browser or `readFile(…, 'utf8')` turns
 * its BOM into U+FFFD and its ASCII into letters and NULs) gets an error naming the encoding.
 */
export function jsonText(
  text: string,
): { ok: true; text: string } | { ok: false; message: string } {
  if (text.startsWith('\uFEFF')) return { ok: true, text: text.slice(1) }
  if (text.startsWith('\uFFFD\uFFFD') || text.includes('\u0000'))
    return {
      ok: false,
      message:
        'is not UTF-8 text (it looks like UTF-16, which some Windows editors write); save it as UTF-8',
    }
  return { ok: true, text }
}

export function parseDocumentText<K extends keyof typeof schemas>(
  kind: K,
  raw: string,
): ParseResult<Parsed[K]> {
  const decoded = jsonText(raw)
  if (!decoded.ok) return { ok: false, issues: [{ path: '(file)', message: decoded.message }] }
  const text = decoded.text
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e)
    return {
      ok: false,
      issues: [{ path: '(file)', message: `is not valid JSON (${msg}); fix the syntax` }],
    }
  }
  return parseDocument(kind, doc)
}

/** One sentence for a CLI or a dialog: `file: path: message` for the first issue, plus a count. */
export function summariseIssues(label: string, issues: FieldIssue[]): string {
  if (issues.length === 0) return `${label}: invalid`
  const first = issues[0]
  const where = first.path === '(file)' ? '' : `${first.path} `
  const more =
    issues.length > 1
      ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})`
      : ''
  return `${label}: ${where}${first.message}${more}`
}
