import { transportCases } from './transportCases.js';

// jsforce's own HTTP (node-fetch), as the CLI uses it: connect without a lookup.
transportCases({});
