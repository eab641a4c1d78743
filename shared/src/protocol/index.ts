export * from './topics.ts';
export * from './messages.ts';
export * from './validate.ts';
export * from './api.ts';
export * from './events.ts';
