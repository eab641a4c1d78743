#!/usr/bin/env node
// Entry of `npm run bench` (runs bench/index.ts through tsx).
import { register } from 'tsx/esm/api';
register();
await import('./index.ts');
