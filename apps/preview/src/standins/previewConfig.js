// What the preview server tells the page at start-up (GET /preview/config.json): the demo portal's
// event stream and the running user. Set by the shell before the root component is created.
let config = { streamUrl: null, portalId: null, userId: '005000000000000AAA' };

export function setPreviewConfig(value) {
  config = { ...config, ...value };
}

export function previewConfig() {
  return config;
}
