import { ConfigError } from '../ml/config.js';
import { SliceImageError } from '../ml/dataset.js';
import { NonFiniteLossError } from '../ml/train-loop.js';
import type { ComputeMessage } from './protocol.js';

/** The code a failed job is reported with: what the host tells the user depends on it (bad input vs. a bug). */
export function errorCode(error: unknown): Extract<ComputeMessage, { type: 'error' }>['code'] {
  return error instanceof NonFiniteLossError ? 'non-finite-loss'
    : error instanceof ConfigError || error instanceof SliceImageError ? 'bad-input' : 'internal';
}
