import { referenceExperiment } from '/work/wt/userpolicy/bench/scenarios'
import { benchUserPolicy } from '/work/wt/userpolicy/bench/user-policy'
console.log(await benchUserPolicy(referenceExperiment()))
