#!/usr/bin/env -S node --max-semi-space-size=64
// `hotspot-sim`: the simulator's commands, with the in-process oracle for `run` without --broker, through
// tsx's loader (no build step for Node packages). Lives here, above both packages: docs/architecture.md.
import { register } from 'tsx/esm/api';
register();
await import('../src/hotspot-sim-main.ts');
