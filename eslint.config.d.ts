// Types of what the architecture test reads from eslint.config.js.
export declare const CORE_LAYERS: Record<string, string[]>;
export declare function coreLayerOf(file: string): string;
declare const config: unknown[];
export default config;
