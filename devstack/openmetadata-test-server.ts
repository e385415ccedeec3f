export * from './openmetadata-test-server/index.js';
