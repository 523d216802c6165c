// React 19: <daily-missions> in a component.
import { useRef, useState } from 'react';
import 'daily-missions'; // defines <daily-missions> before React first renders it
import type { DailyMissionsElement, Family, MissionCompleteDetail, MissionsAllCompleteDetail } from 'daily-missions';

// Teach TypeScript the tag (once per app, e.g. in a .d.ts). React 19 sets a prop as a
// property when the element has one (`tracks`), as an attribute otherwise (`user-id`), and
// adds an `on<event-name>` prop as a listener for exactly that event name, dashes and all:
// https://react.dev/reference/react-dom/components#custom-html-elements
declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'daily-missions': HTMLAttributes<DailyMissionsElement> &
        RefAttributes<DailyMissionsElement> & {
          'user-id': string;
          tracks?: Family[];
          'onmission-complete'?: (event: CustomEvent<MissionCompleteDetail>) => void;
          'onmissions-all-complete'?: (event: CustomEvent<MissionsAllCompleteDetail>) => void;
        };
    }
  }
}

// The event families this app reports. Declared once: the widget reloads when `tracks`
// changes identity, so a new array on every render would reload it on every render.
export const TRACKS: Family[] = ['lessons', 'elements', 'exercises'];

export function MissionsPanel({ userId, lang, onXp }: { userId: string; lang: string; onXp: (xp: number) => void }) {
  const widget = useRef<DailyMissionsElement>(null);
  const [message, setMessage] = useState('');

  // Fired for each award, at least once (a redelivery repeats its awardId): credit XP here, keyed by event.detail.awardId.
  function onMissionComplete(event: CustomEvent<MissionCompleteDetail>) {
    onXp(event.detail.xp);
  }

  function onAllComplete(event: CustomEvent<MissionsAllCompleteDetail>) {
    setMessage(`All done for today: ${event.detail.xp} XP`);
  }

  // Call this when a lesson ends, with its real result.
  async function finishLesson() {
    await widget.current?.record({ type: 'lesson-completed', lessonId: 'l7', setId: 'basics-2', correct: 9, total: 10, seconds: 240 });
  }

  return (
    <>
      <daily-missions
        ref={widget}
        user-id={userId}
        lang={lang}
        tracks={TRACKS}
        onmission-complete={onMissionComplete}
        onmissions-all-complete={onAllComplete}
      />
      <button type="button" onClick={finishLesson}>
        Finish lesson
      </button>
      <p role="status">{message}</p>
    </>
  );
}
