export * from './beacon.ts';
export * from './chacha.ts';
export * from './enums.ts';
