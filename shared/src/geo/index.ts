export * from './cell-id.ts';
export * from './region-for-location.ts';
