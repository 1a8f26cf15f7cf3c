import type Database from 'better-sqlite3'
import type { MetricBetter } from '../../../shared/metrics/catalogue'
import type { HeatmapData, SeriesData } from '../../../shared/runs'
import { decodeFloats, encodeFloats, type BlobDtype } from './blob-codec'

/** Series keep Float64 so values round-trip exactly (charts compare runs to the last digit). */
const SERIES_DTYPE: BlobDtype = 'f64'
/** Heatmap cells are mean tier ordinals (0..a few): Float32 is ample and halves the size. */
const HEATMAP_DTYPE: BlobDtype = 'f32'

interface SeriesRow {
  key: string
  label: string
  unit: string
  better: MetricBetter | null
  point_count: number
  t_dtype: BlobDtype
  t: Buffer
  values_dtype: BlobDtype
  values_blob: Buffer
}

export interface SeriesStore {
  /** Call inside the caller's transaction. */
  write(runId: number, series: readonly SeriesData[], heatmap: HeatmapData | null): void
  read(runId: number, keys?: readonly string[]): SeriesData[]
  readHeatmap(runId: number): HeatmapData | null
}

export function createSeriesStore(db: Database.Database): SeriesStore {
  const insertSeries = db.prepare(`INSERT INTO run_series
    (run_id, position, key, label, unit, better, point_count, t_dtype, t, values_dtype,
      values_blob)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertHeatmap = db.prepare(
    'INSERT INTO run_heatmaps (run_id, meta_json, values_dtype, values_blob) VALUES (?, ?, ?, ?)',
  )
  const selectAll = db.prepare('SELECT * FROM run_series WHERE run_id = ? ORDER BY position')
  const selectSome = db.prepare(
    'SELECT * FROM run_series WHERE run_id = ? AND key IN (SELECT value FROM json_each(?)) ORDER BY position',
  )
  const selectHeatmap = db.prepare(
    'SELECT meta_json, values_dtype, values_blob FROM run_heatmaps WHERE run_id = ?',
  )

  return {
    write(runId, series, heatmap) {
      series.forEach((s, position) => {
        if (s.t.length !== s.values.length) {
          throw new RangeError(
            `series "${s.key}" has ${s.t.length} times but ${s.values.length} values; give one value per time`,
          )
        }
        insertSeries.run(
          runId,
          position,
          s.key,
          s.label,
          s.unit,
          s.better ?? null,
          s.t.length,
          SERIES_DTYPE,
          encodeFloats(s.t, SERIES_DTYPE),
          SERIES_DTYPE,
          encodeFloats(s.values, SERIES_DTYPE),
        )
      })
      if (heatmap) {
        const cells = heatmap.t.length * heatmap.rankBins
        if (heatmap.values.length !== cells) {
          throw new RangeError(
            `the heatmap has ${heatmap.values.length} values but ${heatmap.t.length} times × ${heatmap.rankBins} bins = ${cells} cells`,
          )
        }
        const meta = { t: heatmap.t, rankBins: heatmap.rankBins, tiers: heatmap.tiers }
        insertHeatmap.run(
          runId,
          JSON.stringify(meta),
          HEATMAP_DTYPE,
          encodeFloats(heatmap.values, HEATMAP_DTYPE),
        )
      }
    },
    read(runId, keys) {
      const rows = (
        keys === undefined ? selectAll.all(runId) : selectSome.all(runId, JSON.stringify(keys))
      ) as SeriesRow[]
      return rows.map((row) => ({
        key: row.key,
        label: row.label,
        unit: row.unit,
        ...(row.better ? { better: row.better } : {}),
        t: decodeFloats(row.t, row.t_dtype),
        values: decodeFloats(row.values_blob, row.values_dtype),
      }))
    },
    readHeatmap(runId) {
      const row = selectHeatmap.get(runId) as
        { meta_json: string; values_dtype: BlobDtype; values_blob: Buffer } | undefined
      if (!row) return null
      const meta = JSON.parse(row.meta_json) as Omit<HeatmapData, 'values'>
      return { ...meta, values: decodeFloats(row.values_blob, row.values_dtype) }
    },
  }
}
