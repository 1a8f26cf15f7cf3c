export { parseQueueUrl, redactUrl, type QueueAddress } from './redis-url'
export { checkReachable } from './connection'
export { startQueueWorker, type QueueWorker, type QueueWorkerOptions } from './worker'
export {
  runRemoteSweep,
  type RemoteSweepOptions,
  type RemoteSweepProgress,
  type RemoteSweepResult,
} from './remote-sweep'
export { JOB_ATTEMPTS, QUEUE_NAME } from './jobs'
