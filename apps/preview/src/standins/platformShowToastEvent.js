// Stand-in for `lightning/platformShowToastEvent`: the same event Salesforce's module dispatches
// (`lightning__showtoast`, bubbling and composed so it leaves every shadow root); the preview shell
// catches it on the document and draws an SLDS toast, as Lightning Experience does.
export const SHOW_TOAST_EVENT_NAME = 'lightning__showtoast';

export class ShowToastEvent extends CustomEvent {
  constructor(toast) {
    super(SHOW_TOAST_EVENT_NAME, {
      bubbles: true,
      composed: true,
      cancelable: true,
      detail: toast,
    });
  }
}
