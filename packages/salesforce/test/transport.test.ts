import { transportCases } from './transportCases.js';

// connect without a lookup, as the CLI connects (direct requests go through lookupTransport.ts with
// the system resolver; through a proxy, jsforce's own HTTP).
transportCases({});
