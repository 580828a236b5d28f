// Jest mock of lightning/platformShowToastEvent: the same event the platform handles
// ('lightning__showtoast', bubbling and composed, the toast as detail), so a test can listen for it.
export const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(SHOW_TOAST_EVENT_NAME, {
      composed: true,
      cancelable: true,
      bubbles: true,
      detail: toast,
    });
  }
}
