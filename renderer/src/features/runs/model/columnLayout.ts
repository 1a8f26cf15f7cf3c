import { RUN_COLUMNS, type RunColumn } from './runColumns'

/** Widths (px) and which columns show; kept in localStorage under LAYOUT_KEY. */
export interface ColumnLayout {
  shown: RunColumn[]
  widths: Record<RunColumn, number>
}

export const LAYOUT_KEY = 'tierlab.runs.columns.v1'
export const CHECK_COLUMN_PX = 34
export const MIN_COLUMN_PX = 48
export const MAX_COLUMN_PX = 800

/**
 * Default widths fit every default column and its header at 1440 × 900 (1230 px of table beside
 * the navigation); created and wall time are one click away in the column chooser.
 */
export const DEFAULT_WIDTHS: Record<RunColumn, number> = {
  name: 190,
  policy: 170,
  knobs: 160,
  status: 112,
  throughput: 84,
  hitRatio: 76,
  topology: 140,
  workload: 150,
  created: 128,
  duration: 80,
  tags: 100,
}
export const DEFAULT_SHOWN: RunColumn[] = RUN_COLUMNS.filter(
  (c) => c !== 'created' && c !== 'duration',
)

export function defaultLayout(): ColumnLayout {
  return { shown: [...DEFAULT_SHOWN], widths: { ...DEFAULT_WIDTHS } }
}

const clampWidth = (px: number) => Math.round(Math.min(MAX_COLUMN_PX, Math.max(MIN_COLUMN_PX, px)))

/** A stored layout, with unknown columns dropped and bad widths replaced by the defaults. */
export function parseLayout(text: string | null): ColumnLayout {
  const layout = defaultLayout()
  if (!text) return layout
  try {
    const value = JSON.parse(text) as Partial<ColumnLayout>
    if (Array.isArray(value.shown)) {
      const shown = RUN_COLUMNS.filter((c) => value.shown!.includes(c))
      if (shown.length > 0) layout.shown = shown
    }
    for (const c of RUN_COLUMNS) {
      const w = value.widths?.[c]
      if (typeof w === 'number' && Number.isFinite(w)) layout.widths[c] = clampWidth(w)
    }
  } catch {
    // A corrupt entry is replaced by the defaults on the next change.
  }
  return layout
}

/** Shows or hides a column, in table order; the last shown column cannot be hidden. */
export function toggleColumn(layout: ColumnLayout, column: RunColumn): ColumnLayout {
  const on = layout.shown.includes(column)
  if (on && layout.shown.length === 1) return layout
  const shown = RUN_COLUMNS.filter((c) => (c === column ? !on : layout.shown.includes(c)))
  return { ...layout, shown }
}

export function resizeColumn(layout: ColumnLayout, column: RunColumn, px: number): ColumnLayout {
  return { ...layout, widths: { ...layout.widths, [column]: clampWidth(px) } }
}

/** CSS grid-template-columns: the check box, then each shown column at its width. */
export function gridTemplate(layout: ColumnLayout): string {
  return [CHECK_COLUMN_PX, ...layout.shown.map((c) => layout.widths[c])]
    .map((w) => `${w}px`)
    .join(' ')
}

/** The table's full width, px: it scrolls sideways when the page is narrower. */
export function tableWidth(layout: ColumnLayout): number {
  return layout.shown.reduce((sum, c) => sum + layout.widths[c], CHECK_COLUMN_PX)
}
