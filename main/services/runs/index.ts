export { createRunService, type RunService, type RunServiceOptions } from './run-handlers'
export { createRunQueue, isTerminal, type RunQueue } from './run-queue'
export { createRunPool, type RunPool, type RunPoolHooks } from './pool'
export { parseBundleText, toBundle, bundleFileName, type RunBundle } from './bundle'
