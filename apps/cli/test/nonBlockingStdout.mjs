// Preloaded (node --import) by the e2e test: makes stdout a non-blocking pipe, as pipes are on
// macOS, so a reader that falls behind shows whether the CLI waits for its output before exiting.
process.stdout._handle?.setBlocking?.(false);
