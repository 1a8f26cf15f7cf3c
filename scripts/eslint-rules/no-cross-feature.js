// A local ESLint rule: renderer features (renderer/src/features/<name>) do not import each other,
// and the shell (App.vue, lib/, components/, stores/, api/) does not reach into a feature; what two
// features share lives in renderer/src/lib or renderer/src/components. Only the router, which
// mounts the features' views, may name them. A path-resolving rule rather than
// no-restricted-imports patterns, because a relative import ('../../runs/model/csv') names its
// target feature only after it is resolved against the importing file.
import path from 'node:path'

const FEATURES = `${path.sep}renderer${path.sep}src${path.sep}features${path.sep}`
const SHELL = `${path.sep}renderer${path.sep}src${path.sep}`
const MAY_MOUNT_FEATURES = new Set(['router.ts'])

/** The feature a file belongs to ('' for the shell), or null outside renderer/src. */
function featureOf(file) {
  const at = file.lastIndexOf(FEATURES)
  if (at >= 0) return file.slice(at + FEATURES.length).split(path.sep)[0] ?? ''
  return file.includes(SHELL) ? '' : null
}

export default {
  meta: {
    type: 'problem',
    docs: {
      description: 'Renderer features do not import each other or get imported by the shell.',
    },
    schema: [],
  },
  create(context) {
    const file = path.resolve(context.filename)
    const own = featureOf(file)
    if (own === null) return {}
    const shellFile = file.slice(file.lastIndexOf(SHELL) + SHELL.length)
    if (own === '' && MAY_MOUNT_FEATURES.has(shellFile)) return {}

    function check(node, source) {
      if (typeof source !== 'string' || !source.startsWith('.')) return
      const target = featureOf(path.resolve(path.dirname(file), source))
      if (target === null || target === '' || target === own) return
      context.report({
        node,
        message:
          own === ''
            ? `The shell must not import the ${target} feature; move what it needs to renderer/src/lib or renderer/src/components.`
            : `The ${own} feature must not import the ${target} feature; move what both use to renderer/src/lib or renderer/src/components.`,
      })
    }
    return {
      ImportDeclaration: (node) => check(node, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source.value),
      ExportAllDeclaration: (node) => check(node, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node, node.source.value),
    }
  },
}
