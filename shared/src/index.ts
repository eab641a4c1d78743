/**
 * @hexium/shared — import from the subpaths (`@hexium/shared/protocol/index`, …) in browser code so
 * bundles stay small; `identity/` uses node:crypto and is for Node only.
 */
export * from './params/index.ts';
export * from './protocol/index.ts';
export * from './random/rng.ts';
export * from './clock.ts';
