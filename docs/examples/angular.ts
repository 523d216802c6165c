// Angular (17.3+): <daily-missions> in a standalone component.
import { Component, CUSTOM_ELEMENTS_SCHEMA, ElementRef, input, output, signal, viewChild } from '@angular/core';
import 'daily-missions'; // defines <daily-missions>
import type { DailyMissionsElement, Family, MissionCompleteDetail, MissionsAllCompleteDetail } from 'daily-missions';

@Component({
  selector: 'app-missions-panel',
  standalone: true,
  // Lets the template use an element Angular does not know: https://angular.dev/api/core/CUSTOM_ELEMENTS_SCHEMA
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  // [attr.x] sets an attribute, [tracks] the element's property, (event-name) listens to that
  // exact DOM event name: https://angular.dev/guide/templates/binding
  template: `
    <daily-missions
      #widget
      [attr.user-id]="userId()"
      [attr.lang]="lang()"
      [tracks]="tracks"
      (mission-complete)="onMissionComplete($event)"
      (missions-all-complete)="onAllComplete($event)"
    ></daily-missions>
    <button type="button" (click)="finishLesson()">Finish lesson</button>
    <p role="status">{{ message() }}</p>
  `,
})
export class MissionsPanelComponent {
  readonly userId = input.required<string>();
  readonly lang = input('en');
  readonly xp = output<number>();
  readonly message = signal('');
  // The event families this app reports: one array, so the widget does not reload.
  readonly tracks: Family[] = ['lessons', 'elements', 'exercises'];
  private readonly widget = viewChild.required<ElementRef<DailyMissionsElement>>('widget');

  // Fired for each award, at least once (a redelivery repeats its awardId): credit XP here, keyed by event.detail.awardId.
  onMissionComplete(event: Event) {
    this.xp.emit((event as CustomEvent<MissionCompleteDetail>).detail.xp);
  }

  onAllComplete(event: Event) {
    this.message.set(`All done for today: ${(event as CustomEvent<MissionsAllCompleteDetail>).detail.xp} XP`);
  }

  // Call this when a lesson ends, with its real result.
  async finishLesson() {
    await this.widget().nativeElement.record({ type: 'lesson-completed', lessonId: 'l7', setId: 'basics-2', correct: 9, total: 10, seconds: 240 });
  }
}
