#!/usr/bin/env node
// The CLI runs from the compiled output: `npm ci` builds it (the `prepare` script).
// The AWS SDK warns on Node 20 that its releases after January 2027 need Node 22; the SDK
// version here is pinned by the lockfile, so the warning is for this project's maintainers,
// not for the operator running a command.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { run } = await import('../dist/client/cli.js');

await run(process.argv);
