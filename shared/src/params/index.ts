export * from './region-params.ts';
export * from './network-params.ts';
export * from './params-schema.ts';
export * from './load-params.ts';
