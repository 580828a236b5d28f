// Stand-in for `@salesforce/user/Id`: the running (admin) user of the preview org.
import { previewConfig } from './previewConfig.js';

export default previewConfig().userId;
