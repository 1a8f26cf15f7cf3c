import { ESLint } from 'eslint'
import { describe, expect, it, vi } from 'vitest'

/**
 * The layers of DESIGN.md §1 are enforced by eslint.config.js. These cases lint snippets as if they
 * lived at the given paths (nothing is written to disk), so weakening a rule fails here, not only
 * when someone happens to run `npm run lint` on a bad import.
 */
vi.setConfig({ testTimeout: 60_000 })

const eslint = new ESLint({ cwd: process.cwd() })

async function importErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath })
  return result.messages
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

const wrongWay: Array<[string, string, string, RegExp]> = [
  [
    'main/engine importing main/store',
    'main/engine/topology/zz-lint-case.ts',
    "import { openStore } from '../../store'\nexport const x = openStore\n",
    /main\/engine imports only shared\/ and itself/,
  ],
  [
    'main/engine re-exporting main/services',
    'main/engine/zz-lint-case.ts',
    "export * from '../services'\n",
    /main\/engine imports only shared\/ and itself/,
  ],
  [
    'main/engine importing electron',
    'main/engine/zz-lint-case.ts',
    "import { app } from 'electron'\nexport const x = app\n",
    /Only main\/app and main\/preload import electron/,
  ],
  [
    'the renderer importing main/',
    'renderer/src/zz-lint-case.ts',
    "import { analyzeTopology } from '../../main/engine/topology'\nexport const x = analyzeTopology\n",
    /reaches main only through the typed API/,
  ],
  [
    'shared importing vue',
    'shared/zz-lint-case.ts',
    "import { ref } from 'vue'\nexport const x = ref\n",
    /shared\/ holds data shapes only/,
  ],
  [
    'main/services importing better-sqlite3',
    'main/services/zz-lint-case.ts',
    "import Database from 'better-sqlite3'\nexport const x = Database\n",
    /Only main\/store talks to SQLite/,
  ],
  [
    'the web host importing electron',
    'main/host/web/zz-lint-case.ts',
    "import { app } from 'electron'\nexport const x = app\n",
    /Only main\/app and main\/preload import electron/,
  ],
]

describe('layer rules in eslint.config.js', () => {
  it.each(wrongWay)('refuses %s', async (_what, filePath, code, message) => {
    const errors = await importErrors(filePath, code)
    expect(errors).toHaveLength(1)
    expect(errors[0]).toMatch(message)
  })

  it('allows the right-way imports', async () => {
    expect(
      await importErrors(
        'main/engine/zz-lint-case.ts',
        "import type { Topology } from '../../shared/formats/topology'\nexport type T = Topology\n",
      ),
    ).toEqual([])
    expect(
      await importErrors(
        'main/app/zz-lint-case.ts',
        "import { app } from 'electron'\nexport const x = app\n",
      ),
    ).toEqual([])
  })

  it('keeps the engine deterministic', async () => {
    const errors = await importErrors(
      'main/engine/zz-lint-case.ts',
      'export const x = Math.random() + Date.now()\n',
    )
    expect(errors).toEqual([
      'The engine is deterministic: use the seeded RNG.',
      'The engine uses simulated time only.',
    ])
  })

  const dynamic: Array<[string, string, string, RegExp]> = [
    [
      'main/engine',
      'main/engine/zz-lint-case.ts',
      "export const load = () => import('../store')\n",
      /main\/engine imports only shared\/ and itself/,
    ],
    [
      'main/engine (require)',
      'main/engine/zz-lint-case.ts',
      "export const db = require('better-sqlite3')\n",
      /main\/engine is pure/,
    ],
    [
      'the renderer',
      'renderer/src/zz-lint-case.ts',
      "export const load = () => import('../../main/services')\n",
      /reaches main only through the typed API/,
    ],
    [
      'shared',
      'shared/zz-lint-case.ts',
      "export const load = () => import('node:fs')\n",
      /shared\/ holds data shapes only/,
    ],
    [
      'main/services',
      'main/services/zz-lint-case.ts',
      "export const load = () => import('../host/web')\n",
      /main\/services must not know its hosts/,
    ],
  ]
  it.each(dynamic)(
    'refuses a wrong-way dynamic import in %s',
    async (_what, filePath, code, message) => {
      const errors = await importErrors(filePath, code)
      expect(errors).toHaveLength(1)
      expect(errors[0]).toMatch(message)
    },
  )

  it('allows the renderer its lazy routes', async () => {
    expect(
      await importErrors(
        'renderer/src/zz-lint-case.ts',
        "export const load = () => import('./features/runs/RunsView.vue')\n",
      ),
    ).toEqual([])
  })
})

describe('renderer features stay apart (tierlab/no-cross-feature)', () => {
  async function crossFeature(filePath: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath })
    return result.messages
      .filter((m) => m.ruleId === 'tierlab/no-cross-feature')
      .map((m) => m.message)
  }

  it('refuses one feature importing another, static or dynamic', async () => {
    expect(
      await crossFeature(
        'renderer/src/features/compare/model/zz-lint-case.ts',
        "import { toCsv } from '../../runs/model/summaryCsv'\nexport const x = toCsv\n",
      ),
    ).toEqual([expect.stringMatching(/compare feature must not import the runs feature/)])
    expect(
      await crossFeature(
        'renderer/src/features/queue/zz-lint-case.ts',
        "export const load = () => import('../compare/compareStore')\n",
      ),
    ).toEqual([expect.stringMatching(/queue feature must not import the compare feature/)])
  })

  it('refuses the shell reaching into a feature, but lets the router mount them', async () => {
    expect(
      await crossFeature(
        'renderer/src/zz-lint-case.ts',
        "import { isTextEntry } from './features/editor/composables/shortcuts'\nexport const x = isTextEntry\n",
      ),
    ).toEqual([expect.stringMatching(/shell must not import the editor feature/)])
    expect(
      await crossFeature(
        'renderer/src/router.ts',
        "export const load = () => import('./features/editor/TopologyEditor.vue')\n",
      ),
    ).toEqual([])
  })

  it('allows a feature its own files and the shared lib', async () => {
    expect(
      await crossFeature(
        'renderer/src/features/compare/model/zz-lint-case.ts',
        "import { toCsv } from '../../../lib/csv'\nimport { x } from './deltas'\nexport const y = [toCsv, x]\n",
      ),
    ).toEqual([])
  })
})
