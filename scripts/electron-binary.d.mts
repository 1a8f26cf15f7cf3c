/** Types of scripts/electron-binary.mjs, for the TypeScript E2E spec. */
export function electronExecutableName(platform?: NodeJS.Platform | 'mas'): string
export function findElectronBinary(projectDir: string, env?: NodeJS.ProcessEnv): string | undefined
