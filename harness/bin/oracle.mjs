#!/usr/bin/env -S node --max-semi-space-size=64
// `oracle`: the oracle's commands plus `oracle harness` (which runs the simulator), through tsx's loader
// (no build step for Node packages). Lives here, above both packages: docs/architecture.md.
import { register } from 'tsx/esm/api';
register();
await import('../src/oracle-main.ts');
