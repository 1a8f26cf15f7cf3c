// Linux's default: a page lands on the node of the CPU that touches it first (the engine's
// default choice, falling back to the nearest node with room) and never moves. The baseline
// without tiering, and the smallest policy there is.
export default {
  name: 'First touch (script)',
  description: 'Local-first allocation with fallback; pages never move.',
  knobs: {},
  create() {
    return {}
  },
}
