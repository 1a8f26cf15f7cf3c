import type { PolicyDefinition } from '../../../../../main/engine/policies/api'

/**
 * Test-only policies. Each telemetry test file replaces main/engine/policies/registry with
 * `vi.mock`, whose factory calls `registryWithTestPolicies`, so the engine's `findPolicy` also
 * finds these. This file must not import the engine (the mock factory would wait on itself).
 */
export const testPolicies: PolicyDefinition[] = []

export function registryWithTestPolicies<T extends { findPolicy(id: string): unknown }>(
  real: T,
): T {
  return {
    ...real,
    findPolicy: (id: string) => testPolicies.find((p) => p.id === id) ?? real.findPolicy(id),
  }
}
