/**
 * The names of every API method, `domain.verb`. Kept free of zod so the sandboxed preload can
 * import it cheaply; shared/api/contract.ts maps each name to its input schema and result type,
 * and a type test there fails when the two lists drift apart.
 */
export const API_METHODS = [
  'app.info',
  'topology.presets',
  'topology.analyze',
  'topology.list',
  'topology.get',
  'topology.save',
  'topology.import',
  'topology.importMachine',
  'topology.delete',
  'policies.list',
  'policies.user.list',
  'policies.user.get',
  'policies.user.save',
  'policies.user.delete',
  'policies.check',
  'policies.try',
  'policies.templates',
  'runs.list',
  'runs.get',
  'runs.start',
  'runs.sweep',
  'runs.sweeps',
  'runs.cancel',
  'runs.delete',
  'runs.setTags',
  'runs.setNotes',
  'runs.series',
  'runs.heatmap',
  'runs.export',
  'runs.import',
  'workload.list',
  'workload.get',
  'workload.save',
  'workload.importTrace',
  'workload.delete',
  'workload.presets',
  'workload.preview',
  'studies.list',
] as const
export type ApiMethodName = (typeof API_METHODS)[number]

/** IPC channel for a method: a fixed prefix so main rejects anything else. */
export function ipcChannel(method: ApiMethodName): string {
  return `tierlab:${method}`
}
export const IPC_EVENT_CHANNEL = 'tierlab:event'
