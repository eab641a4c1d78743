export * from './keys.ts';
export * from './sign.ts';
