// The progress of a run as the CLI reads, shows and follows it, and how the run ended.
export * from './snapshot.js';
export * from './render.js';
export * from './display.js';
export * from './watch.js';
export * from './outcome.js';
