/** Demo page: what the engine assigns to a learner on a day. */
import catalog from '../catalog/templates.yaml';
import { DEFAULT_TRACKS, dayKey, generateMissions, templateText } from '../worker/engine/index.js';
import type { ConcreteMix, LearnerSummary } from '../worker/engine/index.js';

const PROFILES: Record<string, LearnerSummary> = {
  new: { lessonsCompleted: 0, openMistakes: 0 },
  active: { lessonsCompleted: 12, openMistakes: 4 },
  veteran: { lessonsCompleted: 240, openMistakes: 9 },
};

const form = document.querySelector<HTMLFormElement>('#controls')!;
const list = document.querySelector<HTMLOListElement>('#missions')!;
const title = document.querySelector<HTMLHeadingElement>('#day-title')!;
const dayInput = form.elements.namedItem('day') as HTMLInputElement;
dayInput.value = dayKey(Date.now(), Intl.DateTimeFormat().resolvedOptions().timeZone);

function render(): void {
  const data = new FormData(form);
  const language = String(data.get('language'));
  const day = String(data.get('day'));
  const { templates } = generateMissions(catalog, {
    userId: String(data.get('userId')) || 'demo-learner',
    day,
    mix: String(data.get('mix')) as ConcreteMix,
    count: 3,
    reroll: 0,
    tracks: [...DEFAULT_TRACKS],
    learner: PROFILES[String(data.get('profile'))] ?? PROFILES['new']!,
    counters: {},
    yesterday: [],
  });
  title.textContent = day;
  list.replaceChildren(
    ...templates.map((template) => {
      const { title: name, description } = templateText(catalog, template.id, language);
      const item = document.createElement('li');
      item.dir = language === 'ar' ? 'rtl' : 'ltr';
      const heading = document.createElement('strong');
      heading.textContent = `${name} · ${template.xp} XP`;
      const detail = document.createElement('small');
      detail.textContent = ` ${description} (${template.difficulty})`;
      item.append(heading, detail);
      return item;
    }),
  );
}

form.addEventListener('input', render);
render();
