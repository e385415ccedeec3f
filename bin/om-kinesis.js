#!/usr/bin/env -S node --max-old-space-size=384
// A worker's live data is small and bounded by its activity slots, but with V8's default heap
// limit (a quarter of the machine's memory) its heap grows to hundreds of MB of garbage before
// collecting; 384 MB keeps a busy worker near 330 MB resident at no cost in throughput (see
// docs/performance.md). `node --max-old-space-size=N bin/om-kinesis.js` overrides it.
// The CLI runs from the compiled output: `npm ci` builds it (the `prepare` script).
// The AWS SDK warns on Node 20 that its releases after January 2027 need Node 22; the SDK
// version here is pinned by the lockfile, so the warning is for this project's maintainers,
// not for the operator running a command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { run } = await import('../dist/client/cli.js');

await run(process.argv);
