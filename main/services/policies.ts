import type { PolicyInfo } from '../../shared/api'
import { listPolicies } from '../engine'

/** The placement policies with their knobs, as policies.list and `tierlab policies` show them. */
export function listPolicyInfos(): PolicyInfo[] {
  return listPolicies()
}
