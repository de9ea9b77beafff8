// Types of scripts/eslint-layers.js for the TypeScript tests that use it.
export declare const LAYERS: Record<'shared' | 'engine' | 'host' | 'shell' | 'renderer', string[]>;
/** Repository-relative path → its layer, 'test', 'tooling' (scripts, e2e, bench) or null (config files). */
export declare function layerOf(rel: string): keyof typeof LAYERS | 'test' | 'tooling' | null;
export declare const layersPlugin: { rules: Record<string, unknown> };
