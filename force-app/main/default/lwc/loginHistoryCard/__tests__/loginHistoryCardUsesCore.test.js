import { createElement } from 'lwc';
import LoginHistoryCard from 'c/loginHistoryCard';

// The window the card names when the diagnosis has no logins is the core's LOGIN_HISTORY_DAYS:
// set here to another number, the card must follow it, which a number of the card's would not.
jest.mock('c/syncDoctorCore', () => ({ ...jest.requireActual('c/syncDoctorCore'), LOGIN_HISTORY_DAYS: 30 }));

describe("c-login-history-card's window is the core's", () => {
    it('names the days the core reads when Login History was not read', () => {
        const element = createElement('c-login-history-card', { is: LoginHistoryCard });
        element.logins = undefined;
        document.body.appendChild(element);
        expect(element.shadowRoot.querySelector('h2').textContent).toBe("HubSpot's logins (last 30 days)");
        document.body.removeChild(element);
    });
});
