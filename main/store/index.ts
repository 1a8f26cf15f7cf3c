export { openStore, type Store, type StoreOptions } from './open'
export { StoreError, storageFailure, type StoreErrorCode } from './errors'
export { defaultDatabasePath, DATABASE_FILE_NAME } from './paths'
export { LATEST_SCHEMA_VERSION } from './schema/migrations'
export { decodeFloats, encodeFloats, type BlobDtype } from './runs/blob-codec'
export { TIERLAB_APPLICATION_ID } from './schema/identity'
export {
  canonicalJson,
  queueJobId,
  runFingerprint,
  runGroupKey,
  type FingerprintInput,
} from './runs/fingerprint'
export type { TopologyRepository } from './library/topologies'
export type { WorkloadRepository } from './library/workloads'
export type { UserPolicyRepository, SaveUserPolicyInput } from './library/user-policies'
export type {
  RunRepository,
  CreateRunInput,
  FinishRunInput,
  ListRunsFilter,
  ImportedRun,
  SweepSummary,
} from './runs/types'
