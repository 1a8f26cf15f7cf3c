import { metricTitle } from './metric-info'

/** One bar per run of the study, in the study's order. */
export interface StudyChartInput {
  metric: string
  bars: Array<{ label: string; value: number | null; baseline: boolean }>
}

type ECharts = typeof import('echarts')

/**
 * ECharts is a development dependency (Vite bundles it into the renderer); the CLI runs from the
 * checkout, where it is installed. Where it is missing the report is written without charts.
 */
async function loadECharts(): Promise<ECharts | null> {
  try {
    const mod = (await import('echarts')) as ECharts & { default?: ECharts }
    return mod.default ?? mod
  } catch {
    return null
  }
}

const BAR = '#3b6fb6'
const BASELINE = '#9aa3ad'
const WIDTH_PX = 720

/**
 * The chart's ECharts option: horizontal bars, so variant labels of any length stay readable,
 * the baseline in grey, each bar with its value. No animation: the SVG is a static file.
 */
export function studyChartOption(input: StudyChartInput): Record<string, unknown> {
  const bars = [...input.bars].reverse() // ECharts draws the first category at the bottom
  return {
    animation: false,
    backgroundColor: '#ffffff',
    title: { text: metricTitle(input.metric), left: 'center', textStyle: { fontSize: 14 } },
    grid: { left: 8, right: 72, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'value', scale: false, splitLine: { lineStyle: { color: '#e5e7eb' } } },
    yAxis: {
      type: 'category',
      data: bars.map((b) => b.label),
      axisLabel: { width: 260, overflow: 'truncate' },
    },
    series: [
      {
        type: 'bar',
        barMaxWidth: 24,
        data: bars.map((b) => ({
          value: b.value,
          itemStyle: { color: b.baseline ? BASELINE : BAR },
        })),
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number | null }) =>
            p.value === null ? '—' : String(Number(Number(p.value).toPrecision(4))),
        },
      },
    ],
  }
}

/** SVG text of each chart, rendered by ECharts' server-side SVG renderer; null without ECharts. */
export async function renderStudyCharts(inputs: StudyChartInput[]): Promise<string[] | null> {
  const echarts = await loadECharts()
  if (!echarts) return null
  return inputs.map((input) => {
    const heightPx = 60 + 34 * input.bars.length
    const chart = echarts.init(null, null, {
      renderer: 'svg',
      ssr: true,
      width: WIDTH_PX,
      height: heightPx,
    })
    try {
      chart.setOption(studyChartOption(input))
      return chart.renderToSVGString()
    } finally {
      chart.dispose()
    }
  })
}
