// The parts of Apache ECharts the dashboard and the HTML report use. vendor.mjs
// bundles this file into internal/web/static/vendor/echarts.min.js as a classic
// script that defines the global `echarts`, so both a page served under a
// strict CSP and a self-contained report file can load it.
import * as echarts from 'echarts/core';
import { SankeyChart, GraphChart, LineChart, BarChart } from 'echarts/charts';
import {
  TooltipComponent, GridComponent, LegendComponent, TitleComponent,
  DataZoomComponent, AriaComponent,
} from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';

echarts.use([
  SankeyChart, GraphChart, LineChart, BarChart,
  TooltipComponent, GridComponent, LegendComponent, TitleComponent,
  DataZoomComponent, AriaComponent, SVGRenderer,
]);

export { echarts };
