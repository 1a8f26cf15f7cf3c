import { use } from 'echarts/core'
import { HeatmapChart, LineChart } from 'echarts/charts'
import {
  DataZoomComponent,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  TitleComponent,
  TooltipComponent,
  VisualMapComponent,
} from 'echarts/components'
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers'

// Only what the Compare and Sweeps charts draw (toolchain.md §1: the full build is a 1 MB chunk). The canvas
// renderer draws on screen; the SVG renderer exists for "Export SVG" (features/compare/charts/exportChart.ts).
use([
  LineChart,
  HeatmapChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  VisualMapComponent,
  MarkLineComponent,
  DataZoomComponent,
  TitleComponent,
  CanvasRenderer,
  SVGRenderer,
])
