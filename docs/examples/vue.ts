// Vue 3: <daily-missions> in a component written with a render function, which needs no
// template compiler and no `isCustomElement` setting (see docs/frameworks.md for templates).
import { defineComponent, h, ref } from 'vue';
import 'daily-missions'; // defines <daily-missions> before Vue first renders it
import type { DailyMissionsElement, Family, MissionCompleteDetail, MissionsAllCompleteDetail } from 'daily-missions';

// The event families this app reports. Declared once: the widget reloads when `tracks`
// changes identity.
export const TRACKS: Family[] = ['lessons', 'elements', 'exercises'];

export const MissionsPanel = defineComponent({
  props: {
    userId: { type: String, required: true },
    lang: { type: String, default: 'en' },
  },
  emits: { xp: (xp: number) => xp >= 0 },
  setup(props, { emit }) {
    const widget = ref<DailyMissionsElement | null>(null);
    const message = ref('');

    // Call this when a lesson ends, with its real result.
    async function finishLesson() {
      await widget.value?.record({ type: 'lesson-completed', lessonId: 'l7', setId: 'basics-2', correct: 9, total: 10, seconds: 240 });
    }

    // Vue sets a prop as a property when the element has one (`tracks`), as an attribute
    // otherwise (`user-id`), and `onMissionComplete` listens to `mission-complete`:
    // https://vuejs.org/guide/extras/web-components.html#passing-dom-properties
    return () => [
      h('daily-missions', {
        ref: widget,
        'user-id': props.userId,
        lang: props.lang,
        tracks: TRACKS,
        // Fired for each award, at least once (a redelivery repeats its awardId): credit XP here, keyed by event.detail.awardId.
        onMissionComplete: (event: CustomEvent<MissionCompleteDetail>) => emit('xp', event.detail.xp),
        onMissionsAllComplete: (event: CustomEvent<MissionsAllCompleteDetail>) => {
          message.value = `All done for today: ${event.detail.xp} XP`;
        },
      }),
      h('button', { type: 'button', onClick: finishLesson }, 'Finish lesson'),
      h('p', { role: 'status' }, message.value),
    ];
  },
});
