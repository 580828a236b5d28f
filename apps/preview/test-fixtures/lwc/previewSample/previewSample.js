// A tiny component that exercises the preview pipeline before the real force-app components exist:
// base components (card, datatable, button), an Apex stand-in call, empApi events and a toast.
import { LightningElement } from 'lwc';
import { ShowToastEvent } from 'lightning/platformShowToastEvent';
import { subscribe } from 'lightning/empApi';
import getSettings from '@salesforce/apex/SyncDoctorController.getSettings';
import title from '@salesforce/label/c.Sync_Doctor_Preview_Sample';

const COLUMNS = [
  { label: 'Object', fieldName: 'object' },
  { label: 'Edit', fieldName: 'edit' },
];

export default class PreviewSample extends LightningElement {
  title = title;
  columns = COLUMNS;
  rows = [
    { id: '1', object: 'Contact', edit: 'missing' },
    { id: '2', object: 'Lead', edit: 'granted' },
  ];
  settingsText = 'loading';
  events = [];

  connectedCallback() {
    getSettings()
      .then((text) => {
        this.settingsText = text;
      })
      .catch((error) => {
        this.settingsText = `error: ${error.body.message}`;
      });
    subscribe('/event/Sync_Doctor_Event__e', -1, (message) => {
      this.events = [...this.events, message.data.payload.State__c];
    });
  }

  get eventsText() {
    return this.events.join(',');
  }

  handleToast() {
    this.dispatchEvent(
      new ShowToastEvent({ title: 'Saved', message: 'It worked', variant: 'success' }),
    );
  }
}
