// The Temporal side of `om-kinesis schedule`: one Temporal Schedule per OpenMetadata service,
// found by the service name. Printing and exit codes belong to client/commands/schedule/.
// One module each for what a schedule is, writing it, and reading it.
export * from './definition.js';
export * from './write.js';
export * from './read.js';
