/**
 * One batch that completes every mission a new learner gets on a weekday with the
 * default tracks: three perfect long lessons, ten right reviews, five mastered elements
 * and half an hour of study. Only a type import, so the browser tests, the benchmark page
 * on the sources (test/bench/bench.ts) and the one on the built package
 * (test/bench/first-celebration.ts) share it.
 */
import type { ActivityInput } from '../../src/client.js';

export function everythingBatch(): ActivityInput[] {
  const tag = Math.random().toString(36).slice(2, 8);
  const batch: ActivityInput[] = [];
  for (let i = 0; i < 3; i += 1) batch.push({ type: 'lesson-completed', lessonId: `l-${tag}-${i}`, setId: `set-${tag}-${i}`, correct: 10, total: 10, seconds: 1800 });
  for (let i = 0; i < 10; i += 1) batch.push({ type: 'element-reviewed', elementId: `e-${tag}-${i}`, correct: true });
  for (let i = 0; i < 5; i += 1) batch.push({ type: 'element-mastered', elementId: `m-${tag}-${i}` });
  batch.push({ type: 'study-time', seconds: 1800 });
  return batch;
}
