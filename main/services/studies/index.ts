export { listStudyNames, loadStudy, locateStudy, studiesDir, type LoadedStudy } from './load'
export { isStudyMetric, planStudy, PROCESS_METRIC, type PlannedStudyRun } from './plan'
export {
  evaluateClaim,
  evaluateClaims,
  metricValue,
  type ClaimOutcome,
  type StudyRunResult,
} from './claims'
