import { init, type EChartsCoreOption } from 'echarts/core'
import '../../../lib/charts/echarts'

/**
 * The chart as an SVG document, drawn by ECharts' SVG renderer in server-side mode (no DOM
 * needed), from the same option the canvas shows.
 */
export function renderSvg(option: EChartsCoreOption, widthPx: number, heightPx: number): string {
  const chart = init(null, null, { renderer: 'svg', ssr: true, width: widthPx, height: heightPx })
  try {
    chart.setOption({ ...option, animation: false })
    return chart.renderToSVGString()
  } finally {
    chart.dispose()
  }
}

/** A file name from a title: letters, digits and dashes only. */
export function chartFileName(title: string, ext: 'png' | 'svg' | 'csv' | 'json'): string {
  const base =
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '') || 'chart'
  return `${base}.${ext}`
}
