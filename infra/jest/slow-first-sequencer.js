// `npm test`'s jest order: the slowest specs first, so that none of them starts last and runs alone while
// the other worker idles. Jest orders by the last run's durations when its cache has them, else by file size;
// a fresh CI machine has no cache, and by size these specs came 12th to 60th of 146.
const Sequencer = require('@jest/test-sequencer').default;

/** Slowest first, as measured alone on a 2-core machine (seconds, December 2026). */
const SLOW_FIRST = [
  'apps/api/src/training/training.shared-data.spec.ts', // 39
  'libs/platform/src/queue/queue.spec.ts', // 37
  'apps/api/src/training/training.controller.spec.ts', // 35
  'apps/cli/test/cli-jobs.spec.ts', // 20
  'apps/api/src/training/training.medsam-lite.spec.ts', // 20
  'apps/api/src/assist/assist.controller.spec.ts', // 16
  'apps/api/src/training/training.medseg.spec.ts', // 15
];

const rank = (test) => {
  const index = SLOW_FIRST.findIndex((spec) => test.path.endsWith(spec));
  return index === -1 ? SLOW_FIRST.length : index;
};

class SlowFirstSequencer extends Sequencer {
  async sort(tests) {
    // Array.prototype.sort is stable: the rest keep jest's own order.
    return (await super.sort(tests)).sort((a, b) => rank(a) - rank(b));
  }
}

module.exports = SlowFirstSequencer;
