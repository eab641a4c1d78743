export * from './cell-id.ts';
export * from './distance.ts';
export * from './polygon.ts';
export * from './region-for-location.ts';
