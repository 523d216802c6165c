/** Demo page: the widget live, with controls and buttons that record activity. */
import '../src/index.js';
import type { ActivityInput, DailyMissionsElement } from '../src/index.js';

const widget = document.querySelector<DailyMissionsElement>('daily-missions')!;
const form = document.querySelector<HTMLFormElement>('#controls')!;
const log = document.querySelector<HTMLOutputElement>('#log')!;
let sequence = 0;

const ACTIVITIES: Record<string, () => ActivityInput[]> = {
  'lesson-3': () => [{ type: 'lesson-completed', lessonId: `demo-${++sequence}`, setId: 'basics', correct: 10, total: 11, seconds: 240 }],
  'lesson-1': () => [{ type: 'lesson-completed', lessonId: `demo-${++sequence}`, setId: 'basics', correct: 6, total: 10, seconds: 300 }],
  perfect: () => [{ type: 'lesson-completed', lessonId: `demo-${++sequence}`, setId: 'basics', correct: 8, total: 8, seconds: 200 }],
  review: () => Array.from({ length: 5 }, (_, i) => ({ type: 'element-reviewed' as const, elementId: `word-${++sequence}-${i}`, correct: i !== 2 })),
  master: () => [{ type: 'element-mastered', elementId: `word-${++sequence}` }],
  study: () => [{ type: 'study-time', seconds: 300 }],
  'new-set': () => [{ type: 'lesson-started', lessonId: `demo-${++sequence}`, setId: `set-${sequence}` }],
};

form.addEventListener('click', async (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('button[data-record]');
  if (!button) return;
  const completed = await widget.record(ACTIVITIES[button.dataset['record']!]!());
  log.textContent = completed.length ? `Completed: ${completed.map((m) => m.title).join(', ')}` : `Recorded: ${button.textContent}`;
});

form.addEventListener('change', () => {
  const data = new FormData(form);
  widget.userId = String(data.get('userId')) || 'demo-learner';
  widget.lang = String(data.get('language'));
  widget.difficulty = String(data.get('difficulty')) as DailyMissionsElement['difficulty'];
  widget.theme = String(data.get('theme')) as DailyMissionsElement['theme'];
});

widget.addEventListener('missions-all-complete', (event) => {
  log.textContent = `All missions done: ${event.detail.xp} XP today.`;
});
