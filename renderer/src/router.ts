import { createRouter, createWebHashHistory, type Router } from 'vue-router'
import TopologiesView from './features/topologies/TopologiesView.vue'
import ExperimentsView from './features/experiments/ExperimentsView.vue'

/** The sections of the left navigation, in order. */
export const SECTIONS = [
  { name: 'topologies', title: 'Topologies' },
  { name: 'editor', title: 'Editor' },
  { name: 'experiments', title: 'Experiments' },
  { name: 'queue', title: 'Queue' },
  { name: 'runs', title: 'Runs' },
  { name: 'compare', title: 'Compare' },
  { name: 'sweeps', title: 'Sweeps' },
  { name: 'policies', title: 'Policies' },
  { name: 'studies', title: 'Studies' },
] as const

/**
 * Hash history: the Electron window loads index.html from file://, where path-based URLs would
 * point at files. Create it after createClient() has removed `?token=` from the address, since
 * hash history keeps the page's path and query as its base.
 */
export function createAppRouter(): Router {
  return createRouter({
    history: createWebHashHistory(),
    routes: [
      { path: '/', redirect: '/topologies' },
      {
        path: '/topologies/:kind(preset|saved)?/:id?',
        name: 'topologies',
        component: TopologiesView,
      },
      {
        // The topology editor (features/editor); `?id=<saved id>` or `?preset=<id>` opens one.
        path: '/editor',
        name: 'editor',
        component: () => import('./features/editor/TopologyEditor.vue'),
        props: (route) => ({
          topologyId: /^[1-9]\d*$/.test(String(route.query.id))
            ? Number(route.query.id)
            : undefined,
          presetId: typeof route.query.preset === 'string' ? route.query.preset : undefined,
        }),
      },
      // The experiment builder (features/experiments); `?from=<runId>` prefills it from a run.
      { path: '/experiments', name: 'experiments', component: ExperimentsView },
      // User policy scripts (features/policies): editor, templates, library, try.
      {
        path: '/policies',
        name: 'policies',
        component: () => import('./features/policies/PoliciesView.vue'),
      },
      // Queued and running runs with live charts (features/queue).
      {
        path: '/queue',
        name: 'queue',
        component: () => import('./features/queue/QueueView.vue'),
      },
      // The archive (features/runs): virtualised table, filters, tags/notes, export, delete.
      { path: '/runs', name: 'runs', component: () => import('./features/runs/RunsView.vue') },
      // Compare (features/compare): `?runs=1,2,3&baseline=2`; lazy, as it carries ECharts.
      {
        path: '/compare',
        name: 'compare',
        component: () => import('./features/compare/CompareView.vue'),
      },
      // Sweeps (features/sweeps): a metric against the swept knob(s), with CI bands; lazy (ECharts).
      {
        path: '/sweeps',
        name: 'sweeps',
        component: () => import('./features/sweeps/SweepsView.vue'),
      },
      // Studies (features/studies): shipped questions, their runs here opened in Compare.
      {
        path: '/studies',
        name: 'studies',
        component: () => import('./features/studies/StudiesView.vue'),
      },
      { path: '/:pathMatch(.*)*', redirect: '/topologies' },
    ],
  })
}
