// First touch plus a sampling promoter: PEBS/IBS-like samples (one in `period` CPU accesses)
// promote every sampled page that sits below the top tier to its process's home node, through a
// kernel thread (async), with kswapd demoting cold pages to make room. A starting point for
// hardware-hint driven policies.
export default {
  name: 'promote sampled',
  description: 'promotes every sampled page below the top tier; kswapd demotes cold pages',
  knobs: {
    period: {
      default: 997,
      min: 1,
      integer: true,
      unit: 'accesses',
      description: 'One sample in this many CPU accesses.',
    },
    demotionEnabled: { default: true, description: 'kswapd demotes cold pages to the next tier.' },
  },
  subscriptions: (knobs) => ({ samples: { period: knobs.period } }),
  reclaim: (knobs) => ({ demotionEnabled: knobs.demotionEnabled, balanceTo: 'high' }),
  create() {
    return {
      onSamples(samples, ctx) {
        for (const s of samples)
          if (!ctx.isTopTier(s.node))
            ctx.migrate(s.frame, ctx.processes[s.process].homeNode, 'async')
      },
    }
  },
}
