/** LoRa radio physics: time on air, noise and sensitivity, path loss, link budget, interference. */
export * from './airtime.ts';
export * from './noise.ts';
export * from './path-loss.ts';
export * from './link-budget.ts';
export * from './interference.ts';
export * from './data-rate.ts';
export * from './reported-signal.ts';
