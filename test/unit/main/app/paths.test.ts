import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { databaseArgument, resolveLocations } from '../../../../main/app/paths'

const base = {
  argv: ['/usr/bin/electron', '.'],
  env: { HOME: '/home/ada', XDG_CONFIG_HOME: '/home/ada/.config' } as NodeJS.ProcessEnv,
  isPackaged: false,
  resourcesPath: '/opt/Tierlab/resources',
  appPath: '/src/tierlab',
  mainDir: '/src/tierlab/out/main',
}

describe('databaseArgument', () => {
  it('reads --db in both spellings and ignores other flags', () => {
    expect(databaseArgument(['electron', '.', '--db', '/tmp/a.db'])).toBe('/tmp/a.db')
    expect(databaseArgument(['electron', '--no-sandbox', '--db=/tmp/b.db'])).toBe('/tmp/b.db')
    expect(databaseArgument(['electron', '.', '--inspect'])).toBeUndefined()
  })

  it('stops at a --db without a file', () => {
    expect(() => databaseArgument(['electron', '--db'])).toThrow(/--db needs a file path/)
    expect(() => databaseArgument(['electron', '--db', '--inspect'])).toThrow(/--db needs/)
    expect(() => databaseArgument(['electron', '--db='])).toThrow(/--db needs/)
  })
})

describe('resolveLocations', () => {
  it('in dev: the repo resources, out/ beside main, the default database', () => {
    const where = resolveLocations(base)
    expect(where.resourcesDir).toBe(path.join('/src/tierlab', 'resources'))
    expect(where.rendererDir).toBe(path.resolve('/src/tierlab/out/renderer'))
    expect(where.rendererIndexPath).toBe(path.resolve('/src/tierlab/out/renderer/index.html'))
    expect(where.preloadPath).toBe(path.resolve('/src/tierlab/out/preload/index.cjs'))
    expect(where.devServerUrl).toBeUndefined()
    if (process.platform === 'linux') {
      expect(where.databasePath).toBe('/home/ada/.config/Tierlab/tierlab.db')
    }
  })

  it('--db beats TIERLAB_DB, which beats the default', () => {
    const env = { ...base.env, TIERLAB_DB: '/data/env.db' }
    expect(resolveLocations({ ...base, env }).databasePath).toBe(path.resolve('/data/env.db'))
    expect(
      resolveLocations({ ...base, env, argv: [...base.argv, '--db', '/data/arg.db'] }).databasePath,
    ).toBe(path.resolve('/data/arg.db'))
  })

  it('packaged: resources beside app.asar, and never a dev server from the environment', () => {
    const env = { ...base.env, ELECTRON_RENDERER_URL: 'http://localhost:5173/' }
    const packaged = resolveLocations({ ...base, env, isPackaged: true })
    expect(packaged.resourcesDir).toBe(path.join('/opt/Tierlab/resources', 'resources'))
    expect(packaged.devServerUrl).toBeUndefined()
    expect(resolveLocations({ ...base, env }).devServerUrl).toBe('http://localhost:5173/')
  })
})
