import { z } from 'zod';

// What every domain of the contract shares: the argument primitives and the error a call that does not fit raises.

/** A catalog row's id. */
export const id = z.number().int().positive();
/** Binary data (pixels, masks): a Uint8Array on both transports. */
export const bytes = z.instanceof(Uint8Array);

/** Raised for a call that does not fit the contract; transports report it as an error answer. */
export class ContractError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContractError';
  }
}
