/**
 * The getting-started tour: the first experiment end to end, one step per section, in the order
 * a first hour goes (the same walk as test/e2e/first-hour.spec.ts). Each step names what to do on
 * that page and which button leads on.
 */
export interface TourStep {
  section: 'topologies' | 'editor' | 'experiments' | 'queue' | 'runs' | 'compare'
  title: string
  text: string
}

export const TOUR_STEPS: readonly TourStep[] = [
  {
    section: 'topologies',
    title: 'Pick a machine',
    text: 'Choose the preset "1 socket + 1 CXL expander". The tiers, distances and demotion targets are the ones Linux would derive for it. Press "Open a copy in the editor".',
  },
  {
    section: 'editor',
    title: 'Make it yours',
    text: 'Click socket s0 and set its DRAM to 2 GiB, give the machine a name and press Save; the kernel analysis on the right follows every edit. Then press "Use in an experiment".',
  },
  {
    section: 'experiments',
    title: 'Set up the experiment',
    text: 'The builder picks a workload that runs on the machine and overflows its DRAM (the KV store). Shrink it to 0.25 + 3.75 GiB and 2 threads so it runs in seconds, tick first-touch, NUMA balancing and the oracle, choose 4 KiB pages and 30 s, and press Run.',
  },
  {
    section: 'queue',
    title: 'Watch it run',
    text: 'Each run shows its progress and live charts. Runs started from the command line (tierlab run) appear here too. When they finish, press Compare.',
  },
  {
    section: 'runs',
    title: 'Find it again',
    text: 'Every run is archived in the database shown at the top. Click a run for its knobs and a chart; tick several and press Compare.',
  },
  {
    section: 'compare',
    title: 'Read the verdict',
    text: 'First-touch is the baseline; the verdict names the real policy that wins and by how much, with the oracle as the bound. Tick more metrics for one small chart each, and export CSV, PNG or a bundle.',
  },
]

/** The step for a section, or -1 when the section has none. */
export function tourStepFor(section: unknown): number {
  return TOUR_STEPS.findIndex((s) => s.section === section)
}
