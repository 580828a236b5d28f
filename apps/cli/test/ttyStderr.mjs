// Preloaded (node --import) by the e2e test: stderr passes for a terminal, so the spinner runs
// as it does at a prompt, and what it leaves behind can be read from the pipe.
process.stderr.isTTY = true;
process.stderr.columns = 100;
