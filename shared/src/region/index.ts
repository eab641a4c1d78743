/** LoRaWAN regional plans (RP002): channels, data rates, payload limits, RX windows, duty cycle, dwell. */
export * from './types.ts';
export * from './eu868.ts';
export * from './us915.ts';
export * from './au915.ts';
export * from './as923.ts';
export * from './duty-cycle.ts';
export * from './plans.ts';
