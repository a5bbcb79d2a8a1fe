import { z } from 'zod';

// Imported first (main.tsx), before the contract defines its schemas: zod probes whether it may compile validators
// with `new Function`, and under the page's CSP (no 'unsafe-eval') that probe is reported as a violation — a console
// error on every load — even though zod catches it. Jitless skips the probe; the page validates nothing hot.
z.config({ jitless: true });
